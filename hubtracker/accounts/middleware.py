from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404
from django_htmx.http import HttpResponseClientRedirect

from hubtracker.accounts.mfa import ENROLMENT_DUE_SESSION_KEY, must_enrol

# What a user who must enrol may still open: enrolment itself, its reauthentication, sign-out.
ALLOWED_WHILE_ENROLMENT_DUE = {
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "account_reauthenticate",
    "account_logout",
    "logout",
    "signed_out",
    "healthz",
}


class MfaEnrolmentRequiredMiddleware:
    """Sends a signed-in user whose sign-in found no second factor, where one is required, to set
    up an authenticator app before anything else. The decision is made at sign-in and kept in the
    session (signals.py), so other users' pages pay no query for it; it is checked again on each
    request while it stands, and dropped once the user has an authenticator."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(ENROLMENT_DUE_SESSION_KEY) and request.user.is_authenticated:
            if not must_enrol(request.user):
                del request.session[ENROLMENT_DUE_SESSION_KEY]
                return self.get_response(request)
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in ALLOWED_WHILE_ENROLMENT_DUE and not request.path_info.startswith(
                "/static/"
            ):
                if request.headers.get("HX-Request") == "true":
                    return HttpResponseClientRedirect(reverse("mfa_activate_totp"))
                return redirect("mfa_activate_totp")
        return self.get_response(request)
