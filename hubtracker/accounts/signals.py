"""At every sign-in: roles from the provider's claims, or whether MFA enrolment is due."""

import time

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from hubtracker.accounts.mfa import (
    ENROLMENT_DUE_SESSION_KEY,
    PASSWORD_SIGN_IN_AT_SESSION_KEY,
    must_enrol,
)
from hubtracker.accounts.roles import apply_roles, roles_from_claims


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs) -> None:
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        extra = sociallogin.account.extra_data or {}
        claims = {**(extra.get("id_token") or {}), **(extra.get("userinfo") or {})}
        apply_roles(user, roles_from_claims(claims))
        request.session.pop(ENROLMENT_DUE_SESSION_KEY, None)
    else:
        request.session[PASSWORD_SIGN_IN_AT_SESSION_KEY] = time.time()
        if must_enrol(user):
            request.session[ENROLMENT_DUE_SESSION_KEY] = True
