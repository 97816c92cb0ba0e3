"""For every answer under /api/: JSON errors (never an HTML page), ETags and 304s.

Two middleware classes, because they need different places in the stack:
- ApiErrorsMiddleware goes near the top, so that even answers given before a view runs (the
  request guard's 400 and 413, the sign-in redirect) reach API clients as JSON;
- ApiConditionalMiddleware goes inside GZipMiddleware, so the ETag hashes the JSON itself (gzip
  adds random padding) and a 304 is exact.
"""

import hashlib
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers

from talks.api.errors import error_response

logger = logging.getLogger(__name__)
PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(PREFIX)


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiErrorsMiddleware:
    """Any error under /api/ that is not JSON (unknown address, wrong method, a refused
    request, a crash) becomes the API's JSON error with the same status."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_api(request) and response.status_code >= 400 and not _is_json(response):
            replaced = error_response(response.status_code)
            if "Retry-After" in response:
                replaced["Retry-After"] = response["Retry-After"]
            return replaced
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_api(request):
            return None
        logger.exception("API error at %s", request.path, exc_info=exception)
        return error_response(500)


class ApiConditionalMiddleware:
    """An ETag on every 200 under /api/, and 304 when If-None-Match matches it."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            is_api(request)
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
        ):
            return _conditional(request, response)
        return response


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Authorization", "Cookie"])
    return get_conditional_response(request, etag=response["ETag"], response=response) or response
