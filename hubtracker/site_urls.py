from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from hubtracker import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]

if settings.BENCHMARK:
    urlpatterns.append(path("bench/constant", views.constant, name="bench_constant"))
