from django.urls import path, re_path

from talks.jobs import views

urlpatterns = [
    path("downloads/", views.job_list, name="job_list"),
    path("downloads/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("downloads/<uuid:job_id>/file", views.job_download, name="job_download"),
    re_path(
        r"^downloads/events\.(?P<fmt>csv|xlsx)$", views.job_start_events, name="job_start_events"
    ),
    re_path(
        r"^downloads/briefing\.(?P<fmt>pdf|docx)$",
        views.job_start_briefing,
        name="job_start_briefing",
    ),
]
