from django.urls import path, re_path

from talks.views import briefings, exports

urlpatterns: list = [
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
