"""allauth adapters: who may sign up, which address counts, where sign-out goes."""

import time
from urllib.parse import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from hubtracker.accounts.client_address import client_address
from hubtracker.accounts.mfa import PASSWORD_SIGN_IN_AT_SESSION_KEY
from hubtracker.accounts.oidc.provider import END_SESSION_SESSION_KEY, ID_TOKEN_SESSION_KEY
from hubtracker.accounts.usernames import lockout_key


def display_name(user) -> str:
    return user.get_username()


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": "Too many failed attempts, try again later.",
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Local accounts are made by administrators; nobody signs themselves up."""
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_address(request) or "unknown"

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        """allauth's per-key limit on failed passwords counts the username (normalised as
        authentication does) *at this address*: never the username alone, which would let anyone
        anywhere shut the real user out."""
        login = credentials.get("username") or credentials.get("email") or ""
        return f"{lockout_key(login)}|{self.get_client_ip(request)}"

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A password sign-in counts as a reauthentication for MFA set-up for as long as allauth's
        reauthentication does: the authenticator app and recovery codes can be set up right after
        signing in without typing the password again. Later, allauth asks for it."""
        request = context.request
        signed_in_at = request.session.get(PASSWORD_SIGN_IN_AT_SESSION_KEY) if request else None
        if app == "allauth.mfa" and isinstance(signed_in_at, float):
            if time.time() - signed_in_at < account_settings.REAUTHENTICATION_TIMEOUT:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """After signing out of HubTracker, sign out of the identity provider too, when the
        session came from it and it publishes an end-session endpoint (RP-initiated logout)."""
        signed_out = reverse("signed_out")
        end_session = request.session.get(END_SESSION_SESSION_KEY)
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        if not (end_session and id_token):
            return signed_out
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(signed_out),
            }
        )
        return f"{end_session}{'&' if '?' in end_session else '?'}{query}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        """Staff who can sign in with the department's provider get an account on first use."""
        return True
