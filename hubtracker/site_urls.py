from django.urls import path

from hubtracker import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
