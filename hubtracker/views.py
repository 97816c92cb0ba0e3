"""Site-wide views: health check and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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
