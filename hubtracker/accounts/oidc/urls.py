"""Sign-in and callback URLs of the OpenID Connect provider (allauth includes them)."""

from django.urls import include, path, re_path

from hubtracker.accounts.oidc.provider import callback, login

urlpatterns = [
    re_path(
        r"^(?P<provider_id>[^/]+)/",
        include(
            [
                path("login/", login, name="openid_connect_login"),
                path("login/callback/", callback, name="openid_connect_callback"),
            ]
        ),
    )
]
