"""Site-wide views: health check and error pages."""

import sys

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET


@require_GET
@never_cache
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app and its database answer, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def constant(request: HttpRequest) -> HttpResponse:
    """The benchmark's yardstick (only routed with BENCHMARK=true): the same middleware as every
    page (session, login, CSP), then no work at all."""
    return HttpResponse("ok", content_type="text/plain")


GENERIC_403 = "You do not have permission to do this."


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 page that says which permission is missing (the PermissionDenied message)."""
    message = str(exception.args[0]) if getattr(exception, "args", None) else ""
    return render(request, "403.html", {"reason": message or GENERIC_403}, status=403)


DATABASE_RETRY_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page, or 503 when the database is out of reach.

    Called while the exception is being handled, so `sys.exception()` is the error. A database
    that cannot be reached (or that broke off the transaction: a deadlock, a lock timeout) means
    the request's transaction was rolled back: nothing was saved and trying again may work.
    Both pages render without the request or the database.
    """
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response.headers["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
