"""htmx requests sent to the sign-in page as a whole page.

Signing in itself (lockouts, MFA, OpenID Connect) lives in hubtracker/accounts; who may see and
do what is decided in talks.access (the permission table).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


class HtmxLoginRedirectMiddleware:
    """Send htmx requests that need a sign-in to the sign-in page as a whole page.

    Without this, htmx would follow the redirect and swap the sign-in page into a fragment
    (for example after the session expired while a form was open).
    """

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("HX-Request") == "true" and response.status_code == 302:
            location = response.get("Location", "")
            if location.startswith(resolve_url(settings.LOGIN_URL)):
                return HttpResponseClientRedirect(location)
        return response
