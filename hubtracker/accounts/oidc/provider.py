"""OpenID Connect with the department's identity provider, on allauth's generic provider.

allauth's `openid_connect` provider discovers the provider's endpoints from
`<issuer>/.well-known/openid-configuration`, sends `state` and PKCE and checks the ID token's
issuer, audience and expiry. This subclass adds what it leaves out:

- a `nonce` in every authorisation request, kept in the sign-in's state and required in the ID
  token (a replayed or injected token is refused);
- the ID token's signature is always checked against the provider's published keys, also when
  the token came straight from the token endpoint;
- the raw ID token is kept in the session, for RP-initiated logout (`id_token_hint`).

Settings: `SOCIALACCOUNT_PROVIDERS["openid_connect"]["provider_class"]` points here, and the
login and callback URLs (same names as allauth's) use the adapter below.
"""

import secrets

import jwt
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest

ID_TOKEN_SESSION_KEY = "oidc_id_token"
END_SESSION_SESSION_KEY = "oidc_end_session_endpoint"


REFUSAL_REASONS = [
    (jwt.InvalidAudienceError, "The ID token was issued for another application (audience)."),
    (jwt.InvalidSignatureError, "The ID token's signature does not match the provider's keys."),
    (jwt.ExpiredSignatureError, "The ID token has expired."),
    (jwt.InvalidIssuerError, "The ID token comes from another issuer."),
]


def refusal_reason(error: Exception) -> str:
    for kind, reason in REFUSAL_REASONS:
        if isinstance(error.__cause__, kind):
            return reason
    return "The ID token is not valid."


class CheckedOIDCAdapter(OpenIDConnectOAuth2Adapter):
    """Verifies the ID token's signature, issuer, audience, expiry and nonce."""

    expected_nonce: str | None = None

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        try:
            claims = jwtkit.verify_and_decode(
                credential=id_token,
                keys_url=self.openid_config["jwks_uri"],
                issuer=self.openid_config["issuer"],
                audience=app.client_id,
                lookup_kid=jwtkit.lookup_kid_jwk,
                verify_signature=True,
            )
        except OAuth2Error as error:
            raise OAuth2Error(refusal_reason(error)) from error
        nonce = claims.get("nonce")
        if (
            not self.expected_nonce
            or not nonce
            or not secrets.compare_digest(str(nonce), self.expected_nonce)
        ):
            raise OAuth2Error("The ID token's nonce does not match this sign-in.")
        self.request.session[ID_TOKEN_SESSION_KEY] = id_token
        end_session = self.openid_config.get("end_session_endpoint")
        if end_session:
            self.request.session[END_SESSION_SESSION_KEY] = end_session
        else:
            self.request.session.pop(END_SESSION_SESSION_KEY, None)
        return claims


class DepartmentProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider, with a nonce and the checked adapter."""

    package = "hubtracker.accounts.oidc"
    oauth2_adapter_class = CheckedOIDCAdapter

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce}
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


class CheckedCallbackView(OAuth2CallbackView):
    """Hands the nonce kept in the sign-in's state to the adapter before the token is read."""

    def _get_state(self, request: HttpRequest, provider):
        state, response = super()._get_state(request, provider)
        if state is not None:
            self.adapter.expected_nonce = state.get("nonce")
        return state, response


@login_not_required
def login(request: HttpRequest, provider_id: str):
    try:
        return OAuth2LoginView.adapter_view(CheckedOIDCAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    try:
        return CheckedCallbackView.adapter_view(CheckedOIDCAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
