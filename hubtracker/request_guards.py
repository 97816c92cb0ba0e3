"""Refuse requests HubTracker cannot handle before anything reads their body or queries the
database with them.

Runs before sessions, CSRF and sign-in, for anonymous and signed-in users alike:
- a body larger than REQUEST_MAX_BYTES (judged by its Content-Length header, so nothing of it is
  read or written to a temporary file) gets 413;
- a NUL character in the path or in any query parameter name or value gets 400. PostgreSQL cannot
  store or compare text holding NUL, so such a value reaching a filter would fail with a 500.
  Form fields are left to the forms, which refuse NUL with an error beside the field and keep
  what was typed.

The refusal pages stand alone (no base.html, no session, no database), like the 500 page.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.csp import build_policy

NUL = "\x00"


def standalone_page(*, status: int, title: str, message: str, hint: str = "") -> HttpResponse:
    """An error page that needs no request, session, user or database."""
    html = loader.get_template("errors/refused.html").render(
        {"title": title, "message": message, "hint": hint}
    )
    response = HttpResponse(html, status=status)
    # These responses skip the inner middleware: give them the same CSP and framing rules.
    response.headers["Content-Security-Policy"] = build_policy(settings.SECURE_CSP)  # type: ignore[arg-type]  # a CSP dict from settings
    response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    response.headers["Cache-Control"] = "no-store"
    return response


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body when the header is not a number


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    return any(
        NUL in name or any(NUL in value for value in values) for name, values in request.GET.lists()
    )


def too_large(limit: int) -> HttpResponse:
    megabytes = limit / 1024 / 1024
    return standalone_page(
        status=413,
        title="The upload is too large",
        message=(
            f"HubTracker accepts at most {megabytes:.0f} MB in one request. Nothing was saved."
        ),
        hint="CSV imports must be at most 2 MB: split a larger file into smaller ones.",
    )


def bad_characters() -> HttpResponse:
    return standalone_page(
        status=400,
        title="The web address cannot be read",
        message=(
            "The address holds a NUL character (%00), which HubTracker cannot search for or "
            "store. Nothing was saved."
        ),
        hint="Remove it from the address, or go back and use the page's own links and filters.",
    )


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_MAX_BYTES
        if _declared_length(request) > limit:
            return too_large(limit)
        if _has_nul(request):
            return bad_characters()
        return self.get_response(request)
