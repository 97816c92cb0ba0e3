"""The API's errors: always JSON, with a short code, a message and, per parameter, what to fix."""

from django.http import JsonResponse

CODES = {
    400: "bad_parameter",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    429: "rate_limited",
    500: "server_error",
}
MESSAGES = {
    400: "The request is not valid: check the address and its parameters (no NUL characters).",
    401: "Send a personal API token: Authorization: Bearer <token> (create one on your "
    "API tokens page).",
    403: "You may not read this.",
    404: "There is nothing at this address. The API's addresses are listed at /api/v1/docs.",
    405: "The API is read-only: use GET.",
    413: "The request is too large. The API only reads: send GET requests without a body.",
    429: "Too many requests with this token. Wait and try again.",
    500: "Something went wrong on our side. It has been logged.",
}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str = "",
        *,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or MESSAGES.get(status, ""))
        self.status = status
        self.message = message or MESSAGES.get(status, "")
        self.fields = fields or {}
        self.headers = headers or {}


def error_response(status: int, message: str = "", *, fields=None, headers=None) -> JsonResponse:
    body = {
        "error": CODES.get(status, "error"),
        "message": message or MESSAGES.get(status, ""),
        "fields": fields or {},
    }
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_exception(error: ApiError) -> JsonResponse:
    return error_response(error.status, error.message, fields=error.fields, headers=error.headers)
