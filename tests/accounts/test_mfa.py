"""MFA for local accounts: enrolment, sign-in with a code, recovery codes, wrong codes throttled."""

import re
import time
from types import SimpleNamespace

import pytest
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.urls import reverse

from tests.accounts.totp import current_code, wrong_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.MFA_REQUIRED = True
    cache.clear()  # allauth's rate limits and used TOTP codes live in the shared cache
    yield
    cache.clear()


def sign_in(client, username, password=PASSWORD, next_url="/healthz"):
    return client.post(
        reverse("login"), {"login": username, "password": password, "next": next_url}
    )


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def enter_code(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_an_analyst_without_a_second_factor_must_enrol_before_anything_else(client, analyst):
    response = sign_in(client, "analyst", next_url="/")
    assert signed_in(client)
    assert client.get("/").url == reverse("mfa_activate_totp")
    assert client.get("/events/").url == reverse("mfa_activate_totp")
    hx = client.get("/events/", headers={"HX-Request": "true"})
    assert hx["HX-Redirect"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, response
    assert "Your role needs a second factor" in page.content.decode()


def test_a_viewer_is_not_asked_to_enrol(client, viewer):
    sign_in(client, "viewer")
    assert client.get("/events/").status_code == 200


def test_a_manager_and_an_administrator_must_enrol_too(client, manager, django_user_model):
    sign_in(client, "manager")
    assert client.get("/events/").url == reverse("mfa_activate_totp")
    client.logout()
    django_user_model.objects.create_superuser("root", password=PASSWORD)
    sign_in(client, "root")
    assert client.get("/admin/").url == reverse("mfa_activate_totp")


def test_with_the_setting_off_nobody_is_asked(client, analyst, settings):
    settings.MFA_REQUIRED = False
    sign_in(client, "analyst")
    assert client.get("/events/").status_code == 200


def test_enrolment_turns_on_the_app_and_gives_recovery_codes(client, analyst):
    sign_in(client, "analyst")
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7]+)"', page)[1]
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code, no external image
    wrong = client.post(reverse("mfa_activate_totp"), {"code": wrong_code(secret)})
    assert "There is a problem" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=analyst).exists()

    done = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=analyst, type="totp").exists()
    assert client.get("/events/").status_code == 200  # enrolment no longer due
    codes_page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", codes_page)
    assert len(codes) == 10


def test_signing_in_asks_for_the_code_after_the_password(client, analyst):
    secret = with_totp(analyst)
    response = sign_in(client, "analyst", next_url="/events/")
    assert response.url == reverse("mfa_authenticate")
    assert not signed_in(client)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Enter your security code" in page
    done = enter_code(client, current_code(secret))
    assert done.url == "/events/"
    assert signed_in(client)
    assert client.get("/events/").status_code == 200


def test_a_totp_code_works_once(client, analyst):
    secret = with_totp(analyst)
    code = current_code(secret)
    sign_in(client, "analyst")
    enter_code(client, code)
    assert signed_in(client)
    client.logout()
    sign_in(client, "analyst")
    enter_code(client, code)
    assert not signed_in(client)


def test_a_code_from_the_period_before_or_after_is_accepted_but_not_older(
    client, analyst, monkeypatch
):
    # An authenticator app's clock drifts, and a code typed as it turns over is one period old.
    # The server's clock is held mid-period so that the test cannot straddle a period's end.
    period = app_settings.TOTP_PERIOD
    now = (time.time() // period) * period + period / 2
    monkeypatch.setattr(totp_auth, "time", SimpleNamespace(time=lambda: now))
    secret = with_totp(analyst)
    sign_in(client, "analyst")
    enter_code(client, current_code(secret, offset_periods=-2, at=now))
    assert not signed_in(client)
    enter_code(client, current_code(secret, offset_periods=2, at=now))
    assert not signed_in(client)
    enter_code(client, current_code(secret, offset_periods=-1, at=now))
    assert signed_in(client)
    client.logout()
    sign_in(client, "analyst")
    enter_code(client, current_code(secret, offset_periods=1, at=now))
    assert signed_in(client)


def test_a_recovery_code_signs_in_once(client, analyst):
    with_totp(analyst)
    codes = RecoveryCodes.activate(analyst).get_unused_codes()
    sign_in(client, "analyst")
    assert enter_code(client, codes[0]).status_code == 302
    assert signed_in(client)
    client.logout()
    sign_in(client, "analyst")
    again = enter_code(client, codes[0])
    assert again.status_code == 200
    assert "Incorrect code" in again.content.decode()
    assert not signed_in(client)
    assert enter_code(client, codes[1]).status_code == 302
    assert signed_in(client)
    assert (
        len(
            RecoveryCodes(
                Authenticator.objects.get(user=analyst, type="recovery_codes")
            ).get_unused_codes()
        )
        == 8
    )


def test_wrong_codes_are_throttled_and_then_even_the_right_code_is_refused(
    client, analyst, settings
):
    secret = with_totp(analyst)
    sign_in(client, "analyst")
    for attempt in range(1, 6):
        response = enter_code(client, wrong_code(secret))
        assert "Incorrect code" in response.content.decode(), attempt
    throttled = enter_code(client, wrong_code(secret))
    assert "Too many failed attempts" in throttled.content.decode()
    right = enter_code(client, current_code(secret))
    assert "Too many failed attempts" in right.content.decode()
    assert not signed_in(client)
