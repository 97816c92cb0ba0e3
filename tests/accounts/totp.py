"""The code an authenticator app would show now, for a TOTP secret (RFC 6238, as allauth checks)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def current_code(secret: str, offset_periods: int = 0, at: float | None = None) -> str:
    now = time.time() if at is None else at
    counter = int(now) // app_settings.TOTP_PERIOD + offset_periods
    return format_hotp_value(hotp_value(secret, counter))


def wrong_code(secret: str) -> str:
    right = current_code(secret)
    return f"{(int(right) + 500_000) % 1_000_000:06d}"
