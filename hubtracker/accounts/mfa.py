"""Who must have a second factor: local accounts of Analysts, Managers and administrators."""

from allauth.mfa.models import Authenticator
from django.conf import settings

ENROLMENT_DUE_SESSION_KEY = "mfa_enrolment_due"
# When this session last signed in with a password (time.time()).
PASSWORD_SIGN_IN_AT_SESSION_KEY = "password_sign_in_at"


def needs_second_factor(user) -> bool:
    if not settings.MFA_REQUIRED:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.groups.filter(name__in=settings.MFA_REQUIRED_GROUPS).exists()


def must_enrol(user) -> bool:
    """True when the user needs a second factor and has no authenticator app yet."""
    return (
        needs_second_factor(user)
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )
