"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Every request that does not go to the live server is blocked and fails the test, so a page that
needs a CDN cannot pass.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, Route, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.factories import PASSWORD
from tests.groups import ensure_groups

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
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(autouse=True)
def site_state(transactional_db):
    """Each browser test starts with the migration's groups and no sign-in lockouts.

    The live server needs committed data, so these tests flush the database after each test,
    which removes the groups that migrations created. serialized_rollback cannot put them back
    here: Playwright's sync API runs an event loop in the test thread, so Django hands out a
    per-context connection without the serialized data. Failed sign-ins are counted in the
    cache, which outlives a test.
    """
    ensure_groups()
    cache.clear()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
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
    page.fill("#id_login", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_htmx(page: Page) -> None:
    """Wait until htmx has no request in flight and no swap still settling: htmx marks busy
    elements htmx-request, then the swapped content htmx-swapping and htmx-settling until its
    afterSettle handlers (focus, the map's outline) have run, a moment after the content is on
    the page. (networkidle alone returns at once once the page has been idle before.)"""
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(".htmx-request, .htmx-swapping, .htmx-settling", state="detached")


def show_interactive_map(page: Page) -> None:
    """Point at the map as a user would: Plotly then draws it in place of the server's SVG.
    Returns once Plotly's map is drawn (its data in `gd.data`). Tries again if the page was
    still loading when the pointer arrived."""
    drawn = "#status-map-plot[data-drawn] .choroplethlayer path.choroplethlocation"
    for attempt in range(3):
        page.wait_for_load_state()
        page.mouse.move(0, 0)
        box = page.locator("#status-map .app-map__frame").bounding_box()
        page.mouse.move(box["x"] + 5, box["y"] + 5)
        try:
            page.wait_for_selector(drawn, state="attached", timeout=6000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    page.mouse.move(0, 0)
