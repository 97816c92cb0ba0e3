from allauth.account import views as allauth_views
from django.urls import include, path

from hubtracker.accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", allauth_views.LogoutView.as_view(), name="logout"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("account/", views.account, name="account"),
    path("accounts/login/", views.SignInView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
]
