"""Who is asking: a personal API token (Authorization: Bearer), or a signed-in browser session.

Each token may send API_RATE_LIMIT_PER_MINUTE requests a minute (counted on the token's row, so
every app process shares the count).
"""

import time

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer

from talks.api.errors import ApiError
from talks.api.tokens import TokenRefused, authenticate, count_use


class ApiRequest(HttpRequest):
    """A request that passed `TokenOrSession`: `auth` is the user it reads as."""

    auth: User


class TokenOrSession(HttpBearer):
    """Returns the user the request reads as; raises ApiError (401, 429) saying why not."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, raw = header.partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                raise ApiError(401, "Send the token as: Authorization: Bearer <token>.")
            return self.authenticate(request, raw.strip())
        if request.user.is_authenticated:
            return request.user
        raise ApiError(401)

    def authenticate(self, request: HttpRequest, token: str):
        try:
            api_token = authenticate(token)
        except TokenRefused as refused:
            raise ApiError(401, str(refused)) from None
        check_rate(api_token)
        return api_token.user


def check_rate(api_token) -> None:
    """Fixed one-minute windows per token; the 429 says how long to wait."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    now = time.time()
    count = count_use(api_token, minute=int(now // 60))
    if count > limit:
        wait = max(1, int(60 - now % 60) + 1)
        raise ApiError(
            429,
            f"This token may send {limit} requests a minute. Try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
