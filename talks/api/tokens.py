"""Creating, checking and revoking personal API tokens (writes are services; reads selectors)."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from talks.api.models import ApiToken

TOKEN_PREFIX = "hub_"
PREFIX_LENGTH = 10  # "hub_" and six random characters: enough to tell tokens apart
EXPIRY_CHOICES = {7: "7 days", 30: "30 days", 90: "90 days", 365: "1 year"}


class TokenRefused(Exception):
    """The token cannot be used; the message says why, for the API's 401 answer."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # shown once, never stored


def create_token(*, user, name: str, days: int) -> NewToken:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=raw[:PREFIX_LENGTH],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return NewToken(token=token, raw=raw)


def revoke_token(*, user, token_id: int) -> bool:
    """Revoke one of `user`'s tokens; False if they have no such token (or it was revoked)."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    return updated == 1


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def authenticate(raw: str) -> ApiToken:
    """The active token for `raw`, with its user; raise TokenRefused saying why not."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        raise TokenRefused("The token is not valid: copy it again from your API tokens page.")
    try:
        token = ApiToken.objects.select_related("user").get(key_hash=hash_token(raw))
    except ApiToken.DoesNotExist:
        raise TokenRefused(
            "The token is not valid: copy it again from your API tokens page."
        ) from None
    if token.is_revoked:
        raise TokenRefused("This token has been revoked. Create a new one.")
    if token.is_expired:
        raise TokenRefused("This token has expired. Create a new one.")
    if not token.user.is_active:
        raise TokenRefused("The account this token belongs to is not active.")
    return token


COUNT_USE = """
    UPDATE {table}
    SET rate_count = CASE WHEN rate_window = %s THEN rate_count + 1 ELSE 1 END,
        rate_window = %s,
        last_used_at = %s
    WHERE id = %s
    RETURNING rate_count
"""


def count_use(token: ApiToken, *, minute: int) -> int:
    """Note a request with `token` in `minute`: its last use, and the requests it has sent in
    that minute (returned). One atomic statement, so every app process shares the count."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(ApiToken._meta.db_table)
        cursor.execute(COUNT_USE.format(table=table), [minute, minute, timezone.now(), token.pk])
        row = cursor.fetchone()
    return row[0] if row else 0
