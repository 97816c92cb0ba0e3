"""Signing in with the department's identity provider: a real OpenID Connect provider process
(node oidc-provider, tests/oidc_provider/) and HubTracker under gunicorn with OIDC_* set, as in
production. The browser may reach only those two origins."""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, Route

from tests.browser.conftest import SCREENSHOTS
from tests.servers import ProviderControl, app_server, oidc_provider

pytestmark = pytest.mark.postgres_only

PROVIDER_PORT = 8240
APP_PORT = 8241
APP_URL = f"http://127.0.0.1:{APP_PORT}"
PROVIDER_NAME = "Department sign-in"
ROLE_MAP = "hub-viewers=Viewers,hub-analysts=Analysts,hub-managers=Managers,hub-sensitive=clearance"


@pytest.fixture(scope="module")
def control(tmp_path_factory) -> ProviderControl:
    return ProviderControl(tmp_path_factory.mktemp("oidc") / "control.json")


@pytest.fixture(scope="module")
def provider(control) -> Iterator[str]:
    with oidc_provider(
        PROVIDER_PORT, "hubtracker", "tests-only-client-secret", APP_URL, control
    ) as issuer:
        yield issuer


@pytest.fixture(scope="module")
def app(provider, django_db_setup, django_db_blocker) -> Iterator[str]:
    env = {
        "OIDC_ISSUER_URL": provider,
        "OIDC_CLIENT_ID": "hubtracker",
        "OIDC_CLIENT_SECRET": "tests-only-client-secret",
        "OIDC_SCOPES": "openid profile email groups",
        "OIDC_PROVIDER_NAME": PROVIDER_NAME,
        "OIDC_ROLES_CLAIM": "groups",
        "OIDC_ROLE_MAP": ROLE_MAP,
        "MFA_REQUIRED": "true",
    }
    with django_db_blocker.unblock(), app_server(APP_PORT, env) as url:
        yield url


@pytest.fixture
def journey(browser, app, provider, control) -> Iterator[Page]:
    control.misbehave("honest")
    allowed = {urlsplit(app).netloc, urlsplit(provider).netloc}
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="en-GB")

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).netloc in allowed or route.request.url.startswith("data:"):
            route.continue_()
        else:
            # The test provider's development pages ask for a web font; only HubTracker's pages
            # must never leave their origins.
            if urlsplit(route.request.frame.url).netloc == urlsplit(app).netloc:
                blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(20_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text and page.url.startswith(app)
            else None
        ),
    )
    yield page
    context.close()
    assert not blocked, f"Requests left the app's and the provider's origins: {blocked}"
    assert not violations, f"CSP refused something on the app's pages: {violations}"


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in_at_provider(page: Page, username: str, screenshots: str = "") -> None:
    """From HubTracker's sign-in page, through the provider's own pages, back to HubTracker."""
    page.goto(f"{APP_URL}/")
    page.wait_for_url(f"{APP_URL}/login/**")
    if screenshots:
        shot(page, f"{screenshots}-01-sign-in")
    page.click(f"button:has-text('Sign in with {PROVIDER_NAME}')")
    page.wait_for_selector("input[name=login]")
    assert page.url.startswith(f"http://127.0.0.1:{PROVIDER_PORT}/interaction/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "any password: the test provider's login")
    if screenshots:
        shot(page, f"{screenshots}-02-provider-sign-in")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if page.url.startswith(f"http://127.0.0.1:{PROVIDER_PORT}/interaction/"):
        page.click("button:has-text('Continue')")  # the provider's consent, the first time
    page.wait_for_load_state("networkidle")


def roles_of(username: str) -> tuple[set[str], bool]:
    user = get_user_model().objects.get(username=username)
    return set(user.groups.values_list("name", flat=True)), user.has_perm("talks.view_sensitive")


def test_sign_in_with_the_provider_lands_with_the_claims_roles_then_signs_out(journey, control):
    page = journey
    control.set_user("alice", name="Alice Adeyemi", groups=["hub-analysts", "hub-sensitive"])
    sign_in_at_provider(page, "alice", screenshots="oidc")
    assert page.url == f"{APP_URL}/"
    assert page.inner_text(".app-user-nav__name") == "Signed in as alice"
    # Created on first sign-in, with the groups and clearance the claims give; no MFA enrolment
    # asked of an Analyst here: the provider is responsible for the second factor.
    assert roles_of("alice") == ({"Analysts"}, True)
    page.click("a:has-text('Account')")
    assert page.inner_text("#account-roles") == "Analysts"
    assert "Cleared for OFFICIAL-SENSITIVE" in page.inner_text("#account-clearance")
    shot(page, "oidc-03-account")

    page.click("button:has-text('Sign out')")
    page.wait_for_selector("button:has-text('Yes, sign me out')")
    assert page.url.startswith(f"http://127.0.0.1:{PROVIDER_PORT}/session/end")
    shot(page, "oidc-04-provider-sign-out")
    page.click("button:has-text('Yes, sign me out')")
    page.wait_for_url(f"{APP_URL}/signed-out/")
    assert "You have signed out" in page.inner_text("h1")
    shot(page, "oidc-05-signed-out")
    page.goto(f"{APP_URL}/events/")
    assert page.url.startswith(f"{APP_URL}/login/")
    # The provider's session ended too: signing in again asks for the login at the provider.
    page.click(f"button:has-text('Sign in with {PROVIDER_NAME}')")
    page.wait_for_selector("input[name=login]")


def test_a_changed_claim_changes_the_role_at_the_next_sign_in(journey, control):
    page = journey
    control.set_user("bob", groups=["hub-managers", "hub-sensitive"])
    sign_in_at_provider(page, "bob")
    assert roles_of("bob") == ({"Managers"}, True)
    page.click("button:has-text('Sign out')")
    page.click("button:has-text('Yes, sign me out')")
    page.wait_for_url(f"{APP_URL}/signed-out/")

    control.set_user("bob", groups=["hub-viewers"])
    sign_in_at_provider(page, "bob")
    assert page.url == f"{APP_URL}/"
    assert roles_of("bob") == ({"Viewers"}, False)
    page.goto(f"{APP_URL}/account/")
    assert page.inner_text("#account-roles") == "Viewers"
    assert page.inner_text("#account-clearance") == "Not cleared"
    assert page.query_selector("a:has-text('Briefings')") is None


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("wrong-audience", "issued for another application"),
        ("wrong-nonce", "nonce does not match this sign-in"),
        ("wrong-signature", "signature does not match the provider's keys"),
    ],
)
def test_a_token_that_fails_a_check_is_refused_with_a_clear_page(journey, control, mode, reason):
    page = journey
    control.set_user("mallory", groups=["hub-managers"])
    control.misbehave(mode)
    sign_in_at_provider(page, "mallory")
    assert page.url.startswith(f"{APP_URL}/accounts/department/login/callback/")
    assert page.inner_text("h1") == "Sign-in refused"
    assert "you are not signed in" in page.inner_text("main")
    assert reason in page.inner_text("#refusal-reason")
    assert page.query_selector(".app-user-nav__name") is None
    shot(page, f"oidc-refused-{mode}")
    assert not get_user_model().objects.filter(username="mallory").exists()
