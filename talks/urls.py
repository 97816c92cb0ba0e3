from django.urls import path, re_path

from talks.views import (
    briefings,
    countries,
    dashboard,
    editing,
    events,
    exports,
    history,
    imports,
    schemes,
)

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("map/countries/<slug:slug>/", dashboard.country_panel, name="dashboard_panel"),
    path("countries/", countries.country_list, name="country_list"),
    path("countries/<slug:slug>/", countries.country_detail, name="country_detail"),
    path("schemes/", schemes.scheme_list, name="scheme_list"),
    path("schemes/<slug:slug>/", schemes.scheme_detail, name="scheme_detail"),
    path("events/", events.event_log, name="event_log"),
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
    path("events/new/", editing.event_new_choose, name="event_new_choose"),
    path("events/<int:pk>/correct/", editing.event_correct, name="event_correct"),
    path("events/<int:pk>/retract/", editing.event_retract, name="event_retract"),
    path("schemes/<slug:scheme_slug>/import/", imports.event_import, name="event_import"),
    path(
        "schemes/<slug:scheme_slug>/import/confirm/",
        imports.event_import_confirm,
        name="event_import_confirm",
    ),
    path(
        "events/import-template.csv",
        imports.event_import_template,
        name="event_import_template",
    ),
    path(
        "schemes/<slug:scheme_slug>/countries/<slug:country_slug>/history/",
        history.candidacy_history_page,
        name="candidacy_history",
    ),
    path("briefings/", briefings.briefings, name="briefings"),
    path("briefings/preview/", briefings.briefing_preview, name="briefing_preview"),
    re_path(
        r"^briefings/briefing\.(?P<fmt>pdf|docx)$",
        briefings.briefing_download,
        name="briefing_download",
    ),
    path("briefings/log/", briefings.export_log, name="export_log"),
    re_path(
        r"^exports/candidacies\.(?P<fmt>csv|xlsx)$",
        exports.export_candidacies,
        name="export_candidacies",
    ),
    re_path(r"^exports/events\.(?P<fmt>csv|xlsx)$", exports.export_events, name="export_events"),
]
