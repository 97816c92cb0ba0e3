from django.conf import settings
from django.urls import path

from hubtracker import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]

if settings.BENCHMARK:
    urlpatterns.append(path("bench/constant", views.constant, name="bench_constant"))
