from django.urls import path

from talks.views import editing, history

urlpatterns: list = [
    path(
        "schemes/<slug:scheme_slug>/countries/<slug:country_slug>/events/new/",
        editing.event_new,
        name="event_new",
    ),
    path(
        "schemes/<slug:scheme_slug>/events/new/",
        editing.event_new_scheme_wide,
        name="event_new_scheme_wide",
    ),
    path("events/<int:pk>/correct/", editing.event_correct, name="event_correct"),
    path("events/<int:pk>/retract/", editing.event_retract, name="event_retract"),
    path(
        "schemes/<slug:scheme_slug>/countries/<slug:country_slug>/history/",
        history.candidacy_history_page,
        name="candidacy_history",
    ),
]
