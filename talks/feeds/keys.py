"""Each user's secret feed address: made, checked and rotated here.

An address holds the user's id, a nonce and an HMAC of both keyed by SECRET_KEY (never stored).
Until a user first rotates, the nonce is derived from the user's id (no row, so pages that link
to feeds never write); rotating stores a random nonce, and addresses with the old one stop
working.
"""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from talks.feeds.models import FeedKey

NONCE_LENGTH = 16
MAC_LENGTH = 32
SALT = "talks.feeds.address"


def _mac(user_id: int, nonce: str) -> str:
    return salted_hmac(SALT, f"{user_id}:{nonce}", algorithm="sha256").hexdigest()[:MAC_LENGTH]


def _initial_nonce(user_id: int) -> str:
    return salted_hmac(SALT + ".initial", str(user_id), algorithm="sha256").hexdigest()[
        :NONCE_LENGTH
    ]


def _current_nonce(user_id: int) -> str:
    nonce = FeedKey.objects.filter(user_id=user_id).values_list("nonce", flat=True).first()
    return nonce or _initial_nonce(user_id)


def _token(user_id: int, nonce: str) -> str:
    return f"{user_id}-{nonce}{_mac(user_id, nonce)}"


def feed_token(user) -> str:
    """The user's current feed token (one query, no write)."""
    return _token(user.pk, _current_nonce(user.pk))


def rotate(user) -> str:
    """A new feed token for `user`: every address made with the old one stops working."""
    nonce = secrets.token_hex(NONCE_LENGTH // 2)
    with transaction.atomic():
        FeedKey.objects.update_or_create(user=user, defaults={"nonce": nonce})
    return _token(user.pk, nonce)


def user_for(token: str):
    """The active user whose current feed token this is, else None."""
    user_id, _, rest = token.partition("-")
    if not user_id.isdigit() or len(user_id) > 18 or len(rest) != NONCE_LENGTH + MAC_LENGTH:
        return None
    nonce, mac = rest[:NONCE_LENGTH], rest[NONCE_LENGTH:]
    if not constant_time_compare(mac, _mac(int(user_id), nonce)):
        return None
    if not constant_time_compare(nonce, _current_nonce(int(user_id))):
        return None
    user = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    return user
