"""A viewer creates an API token from the account page, reads the API with it, and revokes it;
then finds their feed address and subscribes, in Chromium."""

import json
import re
import urllib.error
import urllib.request

import feedparser
import pytest
from playwright.sync_api import expect

from talks.services.demo import load_demo_data
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)


def read_api(live_server, path: str, token: str) -> tuple[int, dict]:
    """A GET as another tool makes it: no browser, no cookies, only the token."""
    request = urllib.request.Request(
        live_server.url + path, headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_viewer_creates_uses_and_revokes_an_api_token(page, live_server, demo, viewer):
    log_in(page, live_server, viewer, next_path="/account/")
    page.get_by_role("link", name="API tokens").click()
    page.fill("#id_name", "Power BI report")
    page.select_option("#id_days", "30")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("hub_")
    screenshot(page, "api-token-created")

    status, body = read_api(live_server, "/api/v1/events?scheme=uk-return-hubs-2025&limit=5", token)
    assert status == 200 and len(body["items"]) == 5

    page.goto(f"{live_server.url}/account/tokens/")
    row = page.locator("#token-list tbody tr", has_text="Power BI report")
    expect(row).not_to_contain_text("Never")  # its last use is shown
    expect(page.locator("body")).not_to_contain_text(token)  # shown once only
    row.get_by_role("button", name=re.compile("Revoke")).click()
    expect(page.locator("#token-list tbody tr", has_text="Power BI report")).to_contain_text(
        "Revoked"
    )
    status, body = read_api(live_server, "/api/v1/events", token)
    assert status == 401 and "revoked" in body["message"]


def test_viewer_finds_the_feed_of_a_scheme_page(page, live_server, demo, viewer):
    log_in(page, live_server, viewer, next_path="/schemes/uk-return-hubs-2025/")
    href = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    with urllib.request.urlopen(href, timeout=30) as feed:  # a feed reader: no cookies
        parsed = feedparser.parse(feed.read())
    assert parsed.bozo == 0 and parsed.entries
    assert "OFFICIAL items only" in parsed.feed.subtitle
