from django.urls import path, re_path

from talks.views import briefings, countries, dashboard, events, exports, schemes

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("map/countries/<slug:slug>/", dashboard.country_panel, name="dashboard_panel"),
    path("countries/", countries.country_list, name="country_list"),
    path("countries/<slug:slug>/", countries.country_detail, name="country_detail"),
    path("schemes/", schemes.scheme_list, name="scheme_list"),
    path("schemes/<slug:slug>/", schemes.scheme_detail, name="scheme_detail"),
    path("events/", events.event_log, name="event_log"),
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
