"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Every request that does not go to the live server is blocked and fails the test, so a page that
needs a CDN cannot pass.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            # The live server needs committed data, so these tests flush the database after each
            # test; serialized_rollback restores what migrations created (the groups).
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


def _keep_serialized_contents() -> None:
    """Playwright's sync API runs tests in a greenlet with its own context, where Django's
    `connections` hands out fresh connection objects without the `_test_serialized_contents`
    that serialized rollback restores after each flush. Put it on the class so every
    connection object in every context finds it."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        if "_test_serialized_contents" in vars(connection):
            type(connection)._test_serialized_contents = connection._test_serialized_contents


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker) -> Iterator[Browser]:
    _keep_serialized_contents()
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/bootstrap --dev")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OffOriginRequests(list):
    """URLs of requests that tried to leave the app's origin."""


@pytest.fixture
def blocked_requests() -> OffOriginRequests:
    return OffOriginRequests()


def new_page(browser: Browser, live_server, blocked: OffOriginRequests) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    origin = urlsplit(live_server.url).netloc

    def guard(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == origin or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def page(browser, live_server, blocked_requests) -> Iterator[Page]:
    page = new_page(browser, live_server, blocked_requests)
    yield page
    page.context.close()
    assert not blocked_requests, f"Requests left the app's origin: {blocked_requests}"


def log_in(page: Page, live_server, user, next_path: str = "/") -> None:
    page.goto(f"{live_server.url}/login/?next={next_path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_htmx(page: Page) -> None:
    """Wait until htmx has no request in flight (htmx marks busy elements with htmx-request)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(".htmx-request", state="detached")
