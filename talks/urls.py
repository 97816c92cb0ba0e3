from django.urls import path

from talks.views import countries, dashboard, events, schemes

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("map/countries/<slug:slug>/", dashboard.country_panel, name="dashboard_panel"),
    path("countries/", countries.country_list, name="country_list"),
    path("countries/<slug:slug>/", countries.country_detail, name="country_detail"),
    path("schemes/", schemes.scheme_list, name="scheme_list"),
    path("schemes/<slug:slug>/", schemes.scheme_detail, name="scheme_detail"),
    path("events/", events.event_log, name="event_log"),
]
