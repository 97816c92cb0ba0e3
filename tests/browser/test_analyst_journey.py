"""An analyst records an event that moves Kosovo from Negotiating to Agreed; the page updates
without a reload.

A second analyst, holding the same form opened before that save, is refused with the conflict
message, keeps what they typed, and can save once they have read what changed.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from talks.models import Candidacy
from talks.rules.statuses import Status
from talks.services.demo import load_demo_data
from tests.browser.conftest import log_in, new_page, screenshot, wait_for_htmx

SCHEME = "uk-return-hubs-2025"


@pytest.fixture
def kosovo(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)
    return Candidacy.objects.get(scheme__slug=SCHEME, country__slug="kosovo")


def count_loads(page) -> list:
    loads: list = []
    page.on("load", lambda _: loads.append(page.url))
    return loads


def fill_event(page, *, title: str, quote: str, status: str | None) -> None:
    form = page.locator("#event-form")
    form.locator("#id_day").fill("20")
    form.locator("#id_month").fill("11")
    form.locator("#id_year").fill("2026")
    form.locator("#id_kind").select_option("formal_talks")
    form.locator("#id_title").fill(title)
    form.locator("#id_quote").fill(quote)
    form.locator("#id_source_mode_none").check()
    if status:
        form.locator(f"#id_new_status_{status}").check()


def test_an_analyst_moves_kosovo_in_place_and_a_stale_form_gets_the_conflict(
    page, browser, live_server, blocked_requests, analyst, cleared_analyst, kosovo
):
    form_url = reverse("event_new", args=[SCHEME, "kosovo"])
    dashboard = f"/?scheme={SCHEME}&country=kosovo"

    # A second analyst opens the full-page form first: it carries today's version.
    other = new_page(browser, live_server, blocked_requests)
    log_in(other, live_server, cleared_analyst, next_path=form_url)
    fill_event(other, title="Second analyst's note", quote="Words I typed carefully", status=None)

    # The first analyst opens Kosovo's panel on the map and adds an event in place.
    log_in(page, live_server, analyst, next_path=quote(dashboard, safe="/"))
    kosovo_row = page.locator("#status-table tr[data-country=XKX]")
    expect(kosovo_row).to_contain_text("Negotiating")
    map_before = page.locator("#status-map-data").text_content()
    loads = count_loads(page)
    page.get_by_role("link", name="Add an event for Kosovo").click()
    expect(page.locator("#event-form form")).to_be_visible()
    page.locator("#event-form button[type=submit]").click()
    wait_for_htmx(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title.")
    screenshot(page, "event-form-errors")

    fill_event(page, title="Terms agreed", quote="We have agreed", status="agreed")
    page.locator("#event-form button[type=submit]").click()
    wait_for_htmx(page)
    expect(page.locator("#event-form")).to_contain_text("Kosovo is now Agreed")
    # The map, the counts and the table refresh without a reload.
    expect(kosovo_row).to_contain_text("Agreed")
    expect(page.locator("#country-panel")).to_contain_text("Agreed")
    map_after = page.locator("#status-map-data").text_content()
    assert map_after != map_before
    assert "Agreed" in map_after
    expect(page.locator(".app-counts")).to_contain_text("Agreed")
    screenshot(page, "dashboard-after-event")
    assert loads == [], "the page reloaded"
    kosovo.refresh_from_db()
    assert kosovo.status == Status.AGREED

    # On Kosovo's page, an event added in place appears in the timeline, and a retraction
    # made from the timeline shows there, both without a reload.
    page.goto(f"{live_server.url}/countries/kosovo/")
    loads = count_loads(page)
    timeline = page.locator("#country-timeline")
    expect(timeline).to_contain_text("Terms agreed")
    page.get_by_role("link", name="Add event for Kosovo in UK return hubs (2025)").click()
    fill_event(page, title="Follow-up meeting in Pristina", quote="", status=None)
    page.locator("#event-form button[type=submit]").click()
    wait_for_htmx(page)
    expect(timeline).to_contain_text("Follow-up meeting in Pristina")
    entry = timeline.locator("li", has_text="Follow-up meeting in Pristina")
    entry.get_by_role("link", name="Retract").click()
    page.locator("#retract-form textarea").fill("Duplicate of an earlier report")
    page.locator("#retract-form button[type=submit]").click()
    wait_for_htmx(page)
    retracted = timeline.locator("li", has_text="Follow-up meeting in Pristina")
    expect(retracted).to_contain_text("Retracted")
    expect(retracted).to_contain_text("Duplicate of an earlier report")
    assert loads == [], "the page reloaded"
    screenshot(page, "country-timeline-after-retraction")

    # The stale form is refused: conflict message, the typed text kept, the new version carried.
    kosovo.refresh_from_db()
    other.locator("#event-form button[type=submit]").click()
    wait_for_htmx(other)
    conflict = other.locator("#conflict")
    expect(conflict).to_contain_text("Someone else changed this while you were editing")
    expect(conflict).to_contain_text("Terms agreed")
    expect(other.locator("#id_quote")).to_have_value("Words I typed carefully")
    expect(other.locator("#id_title")).to_have_value("Second analyst's note")
    expect(other.locator("input[name=version]")).to_have_value(str(kosovo.version))
    screenshot(other, "event-form-conflict")

    # Having read what changed, the second analyst saves again.
    other.locator("#event-form button[type=submit]").click()
    wait_for_htmx(other)
    expect(other.locator("#event-form")).to_contain_text("Event recorded: Second analyst's note")
    assert kosovo.events.filter(title="Second analyst's note").exists()
    other.context.close()
