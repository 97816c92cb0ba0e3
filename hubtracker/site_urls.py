from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from hubtracker import views
from hubtracker.auth import ThrottledLoginView

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]

if settings.BENCHMARK:
    urlpatterns.append(path("bench/constant", views.constant, name="bench_constant"))
