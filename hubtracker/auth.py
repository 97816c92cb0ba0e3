"""Signing in, with failed attempts throttled, and permission checks that say what is missing.

Failed sign-ins are counted per username and IP address in Django's cache. After
LOGIN_MAX_FAILURES failures the pair is locked out for LOGIN_LOCKOUT_MINUTES; a successful
sign-in clears the count. No database model is needed.
"""

import functools
import hashlib
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

# Permission code -> (what it lets you do, the group that holds it).
PERMISSIONS: dict[str, tuple[str, str]] = {
    "talks.record_event": ("record, correct and retract talk events", "Analysts"),
    "talks.import_events": ("import talk events from CSV", "Analysts"),
    "talks.export_briefing": ("export briefings and data", "Managers"),
    "talks.view_auditentry": ("see the change history", "Analysts or Managers"),
    "talks.view_sensitive": ("see or enter OFFICIAL-SENSITIVE items", "security clearance"),
}


def missing_permission_message(perm: str) -> str:
    action, holder = PERMISSIONS.get(perm, (perm, "an administrator"))
    if perm == "talks.view_sensitive":
        return f"You need clearance to {action} (permission {perm})."
    return f"You need the permission to {action} ({perm}), which the {holder} group has."


def require_permission(user, perm: str) -> None:
    """Raise PermissionDenied naming `perm` and who holds it, unless `user` has it."""
    if not user.has_perm(perm):
        raise PermissionDenied(missing_permission_message(perm))


def permission_required(perm: str) -> Callable:
    """Like Django's permission_required(raise_exception=True), with a message naming `perm`."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            require_permission(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _max_failures() -> int:
    return settings.LOGIN_MAX_FAILURES


def _lockout_seconds() -> int:
    return settings.LOGIN_LOCKOUT_MINUTES * 60


def _key(kind: str, username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{ip}".encode()).hexdigest()
    return f"login-{kind}:{digest}"


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def lockout_remaining(username: str, ip: str) -> int:
    """Seconds until this username and IP may try again; 0 when not locked out."""
    until = cache.get(_key("lock", username, ip))
    return max(0, math.ceil(until - time.time())) if until else 0


def record_failure(username: str, ip: str) -> None:
    key = _key("fail", username, ip)
    cache.add(key, 0, timeout=_lockout_seconds())
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_lockout_seconds())
        failures = 1
    if failures >= _max_failures():
        until = time.time() + _lockout_seconds()
        cache.set(_key("lock", username, ip), until, timeout=_lockout_seconds())
        cache.delete(key)


def clear_failures(username: str, ip: str) -> None:
    cache.delete_many([_key("fail", username, ip), _key("lock", username, ip)])


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed attempts, try again in {minutes} {unit}."


class ThrottledLoginView(LoginView):
    """Django's LoginView, refusing a username and IP pair after too many failures."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        username = request.POST.get("username", "")
        wait = lockout_remaining(username, client_ip(request))
        if wait:
            # Do not even check the password while locked out.
            form = self.get_form_class()(request, data={"username": username})
            form._errors = ErrorDict()
            return self._locked_out(form, wait)
        return super().post(request, *args, **kwargs)

    def _locked_out(self, form, wait: int) -> HttpResponse:
        form._errors.clear()
        form._errors[NON_FIELD_ERRORS] = form.error_class(
            [lockout_message(wait)], error_class="nonfield"
        )
        return self.render_to_response(self.get_context_data(form=form), status=429)

    def form_invalid(self, form) -> HttpResponse:
        username = self.request.POST.get("username", "")
        ip = client_ip(self.request)
        record_failure(username, ip)
        wait = lockout_remaining(username, ip)
        if wait:
            return self._locked_out(form, wait)
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        clear_failures(self.request.POST.get("username", ""), client_ip(self.request))
        return super().form_valid(form)


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
