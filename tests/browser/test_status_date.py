"""Typing a date into the map's "Status as of" field: one request and one history entry for the
finished date, not one per key (the browser reports years 0002, 0020, 0202 on the way)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from talks.services.demo import load_demo_data
from tests.browser.conftest import log_in, wait_for_htmx

UK = "uk-return-hubs-2025"


@pytest.fixture
def demo(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)


def dates_asked_for(page: Page) -> list[str]:
    """The date of every dashboard request the page makes from now on."""
    asked: list[str] = []

    def record(request) -> None:
        parts = urlsplit(request.url)
        if parts.path == "/" and "date" in parse_qs(parts.query):
            asked.append(parse_qs(parts.query)["date"][0])

    page.on("request", record)
    return asked


def test_typing_a_year_asks_once_and_adds_one_history_entry(page: Page, live_server, viewer, demo):
    log_in(page, live_server, viewer, next_path=f"/?scheme={UK}")
    page.wait_for_selector("#status-map-svg", state="attached")
    entries = page.evaluate("history.length")
    asked = dates_asked_for(page)

    # Day and month alike, so the field's order (day first or month first) does not matter;
    # the year comes last, key by key: 0002, 0020, 0202, 2025.
    page.locator("#date").focus()
    page.keyboard.type("06062025", delay=120)
    page.wait_for_timeout(1000)  # longer than the pause the field waits for
    wait_for_htmx(page)

    assert asked == ["2025-06-06"]
    assert page.evaluate("history.length") == entries + 1
    expect(page.locator(".app-dash-results__title .govuk-caption-m")).to_have_text(
        "Status on 6 June 2025"
    )
    assert "date=2025-06-06" in page.url

    page.go_back()
    page.wait_for_selector("#status-map-svg", state="attached")
    assert "date=" not in page.url  # straight back to the first view, no 0002 or 0202 between


def test_a_date_chosen_and_left_is_asked_for_at_once(page: Page, live_server, viewer, demo):
    log_in(page, live_server, viewer, next_path=f"/?scheme={UK}")
    page.wait_for_selector("#status-map-svg", state="attached")
    asked = dates_asked_for(page)
    page.fill("#date", "2025-06-01")
    page.keyboard.press("Tab")
    wait_for_htmx(page)
    expect(page.locator(".app-dash-results__title .govuk-caption-m")).to_have_text(
        "Status on 1 June 2025"
    )
    assert asked == ["2025-06-01"]
