"""/api/v1/ (the API, its schema and documentation) and /account/tokens/."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path, re_path, reverse

from talks.api import views
from talks.api.api import api
from talks.api.errors import error_response


@login_not_required
def not_found(request, rest: str = ""):
    return error_response(404)


@login_not_required
def index(request):
    """Where to start: the documentation and the schema (no data, so no sign-in)."""
    return JsonResponse(
        {"version": "1", "docs": reverse("api_docs"), "openapi": reverse("api_openapi")}
    )


def _open(patterns: list) -> list:
    """The API answers anonymous requests itself (a JSON 401), not with the sign-in redirect."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _open(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns


api_patterns, api_app, api_namespace = api.urls
_open(api_patterns)

urlpatterns = [
    path("api/v1/openapi.json", views.openapi_json, name="api_openapi"),
    path("api/v1/docs", views.docs, name="api_docs"),
    path("api/v1/", index, name="api_root"),
    path("api/v1/", (api_patterns, api_app, api_namespace)),
    re_path(r"^api/(?P<rest>.*)$", not_found),
    path("account/tokens/", views.tokens, name="api_tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
]
