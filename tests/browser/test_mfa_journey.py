"""An Analyst with a password sets up an authenticator app, then signs in with a code and with a
recovery code, in headless Chromium. Each page is checked with axe and the CSP."""

import re

import pytest
from playwright.sync_api import Page

from tests.accounts.totp import current_code, wrong_code
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import check_page, csp_violations  # noqa: F401
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.MFA_REQUIRED = True


def sign_in_with_password(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in-with-password")
    page.wait_for_load_state("networkidle")


def enter_code(page: Page, code: str) -> None:
    page.fill("#id_code", code)
    page.click("button:has-text('Continue')")
    page.wait_for_load_state("networkidle")


def test_an_analyst_sets_up_mfa_then_signs_in_with_a_code_and_a_recovery_code(
    page,
    live_server,
    analyst,
    csp_violations,  # noqa: F811
):
    sign_in_with_password(page, live_server, "analyst")
    assert page.url == f"{live_server.url}/accounts/2fa/totp/activate/"
    assert "Your role needs a second factor" in page.inner_text("main")
    check_page(page, live_server, "mfa-enrolment", csp_violations)
    screenshot(page, "mfa-01-enrolment")
    secret = page.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.fill("#id_code", current_code(secret))
    page.click("button:has-text('Turn on')")
    page.wait_for_url(f"{live_server.url}/accounts/2fa/recovery-codes/")
    codes = [code.strip() for code in page.locator("#recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    check_page(page, live_server, "mfa-recovery-codes", csp_violations)
    screenshot(page, "mfa-02-recovery-codes")
    page.goto(f"{live_server.url}/events/")
    assert page.url == f"{live_server.url}/events/"  # enrolment done: pages open again

    page.click("button:has-text('Sign out')")
    page.wait_for_url(f"{live_server.url}/signed-out/")
    sign_in_with_password(page, live_server, "analyst")
    assert page.url == f"{live_server.url}/accounts/2fa/authenticate/"
    check_page(page, live_server, "mfa-code", csp_violations)
    screenshot(page, "mfa-03-enter-code")
    enter_code(page, wrong_code(secret))
    assert "Incorrect code" in page.inner_text(".govuk-error-summary")
    screenshot(page, "mfa-04-wrong-code")
    enter_code(page, current_code(secret))
    assert page.url == f"{live_server.url}/"
    page.click("button:has-text('Sign out')")
    page.wait_for_url(f"{live_server.url}/signed-out/")

    sign_in_with_password(page, live_server, "analyst")
    enter_code(page, codes[0])
    assert page.url == f"{live_server.url}/"
    page.click("a:has-text('Account')")
    assert "Authenticator app: On" in page.inner_text("main")
    screenshot(page, "mfa-05-account")
