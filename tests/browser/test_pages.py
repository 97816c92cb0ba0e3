"""A viewer browses the country pages and searches the event log, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from talks.services.demo import load_demo_data
from tests.browser.conftest import log_in, screenshot, wait_for_htmx

# The live server reads committed data, so these tests flush the database after each test.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)


def test_viewer_browses_from_the_country_list_to_kosovos_timeline(page, live_server, demo, viewer):
    log_in(page, live_server, viewer, next_path="/countries/")
    expect(page.get_by_role("heading", name="Countries", level=1)).to_be_visible()
    kosovo_row = page.locator("#country-table tbody tr", has_text="Kosovo")
    expect(kosovo_row).to_contain_text("UK return hubs (2025): Negotiating since 5 Dec 2025")
    expect(kosovo_row).to_contain_text("Potential EU candidate")
    screenshot(page, "pages-country-list")

    kosovo_row.get_by_role("link", name="Kosovo", exact=True).click()
    expect(page).to_have_url(re.compile(r"/countries/kosovo/$"))
    expect(page.get_by_role("heading", name="Kosovo", level=1)).to_be_visible()
    expect(page.locator("#country-standing")).to_contain_text("Formal talks are under way.")
    item = page.locator("#country-timeline li.app-event", has_text="Kurti: Kosovo wants to help")
    expect(item.locator("blockquote")).to_contain_text("We want to help the UK")
    expect(item.locator("figcaption")).to_have_text("Albin Kurti, Prime Minister of Kosovo")
    expect(item.locator(".app-event__source")).to_contain_text("UNMIK Media Observer")
    expect(item.locator(".app-event__source")).to_contain_text("usually reliable")
    expect(page.locator("#country-timeline")).not_to_contain_text("OFFICIAL-SENSITIVE")
    screenshot(page, "pages-country-kosovo")

    page.get_by_role("link", name="Serbia").first.click()
    expect(page.get_by_role("heading", name="Serbia", level=1)).to_be_visible()


def test_viewer_searches_the_event_log_and_results_update_in_place(page, live_server, demo, viewer):
    log_in(page, live_server, viewer, next_path="/events/")
    results = page.locator("#event-results")
    expect(results.get_by_role("heading", level=2)).to_contain_text("events")
    page.evaluate("window.__marker = 'same page'")  # gone if the page reloads

    page.get_by_label("Search").fill("Osmani")
    expect(results.locator("h2").first).to_have_text("1 event matches")
    wait_for_htmx(page)
    expect(results).to_contain_text("Osmani: Kosovo would be open to discussing it")
    expect(page).to_have_url(re.compile(r"/events/\?q=Osmani&order=desc$"))
    assert page.evaluate("window.__marker") == "same page"
    screenshot(page, "pages-event-log-search")

    page.get_by_label("Search").fill("")
    page.get_by_label("Country").select_option(label="Albania")
    wait_for_htmx(page)
    expect(results.locator(".app-event__context").first).to_contain_text("Albania")
    expect(page).to_have_url(re.compile(r"/events/\?country=albania&order=desc$"))
    assert page.evaluate("window.__marker") == "same page"

    page.get_by_label("From").fill("31/02/2025")
    page.get_by_role("button", name="Apply filters").click()
    wait_for_htmx(page)
    expect(results.locator(".govuk-error-summary")).to_contain_text(
        "Enter the start date as a real date"
    )
    screenshot(page, "pages-event-log-error")


def test_event_log_works_without_javascript(browser, live_server, demo, viewer, blocked_requests):
    from tests.browser.conftest import new_page

    page = new_page(browser, live_server, blocked_requests)
    page.context.set_extra_http_headers({})
    page.route("**/*.js", lambda route: route.abort())
    log_in(page, live_server, viewer, next_path="/events/")
    page.get_by_label("Search").fill("Gjilan")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("load")
    expect(page).to_have_url(re.compile(r"q=Gjilan"))
    expect(page.locator("#event-results")).to_contain_text("Denmark and Kosovo announce 300")
    page.context.close()
