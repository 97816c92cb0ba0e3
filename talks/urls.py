from django.urls import path

from talks.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("map/countries/<slug:slug>/", dashboard.country_panel, name="dashboard_panel"),
]
