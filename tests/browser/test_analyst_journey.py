"""An analyst records an event that moves Kosovo's status; the page updates without a reload.

A second analyst, holding the same form opened before that save, is refused with the conflict
message, keeps what they typed, and can save once they have read what changed.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from talks.demo import load_demo_data
from talks.models import Candidacy
from talks.statuses import Status
from tests.browser.conftest import log_in, new_page, screenshot, wait_for_htmx

SCHEME = "uk-return-hubs-2025"


@pytest.fixture
def kosovo(transactional_db, cleared_analyst):
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
    form.locator("#id_year").fill("2025")
    form.locator("#id_kind").select_option("formal_talks")
    form.locator("#id_title").fill(title)
    form.locator("#id_quote").fill(quote)
    form.locator("#id_source_mode_none").check()
    if status:
        form.locator(f"#id_new_status_{status}").check()


def test_an_analyst_moves_kosovo_in_place_and_a_stale_form_gets_the_conflict(
    page, browser, live_server, blocked_requests, analyst, cleared_analyst, kosovo
):
    history = reverse("candidacy_history", args=[SCHEME, "kosovo"])
    form_url = reverse("event_new", args=[SCHEME, "kosovo"])

    # A second analyst opens the full-page form first: it carries today's version.
    other = new_page(browser, live_server, blocked_requests)
    log_in(other, live_server, cleared_analyst, next_path=form_url)
    fill_event(other, title="Second analyst's note", quote="Words I typed carefully", status=None)

    # The first analyst adds an event in place on the history page.
    log_in(page, live_server, analyst, next_path=history)
    expect(page.locator("#history-current-status")).to_have_text("Exploratory talks")
    loads = count_loads(page)
    page.get_by_role("link", name="Add an event for Kosovo").click()
    expect(page.locator("#event-form form")).to_be_visible()
    page.locator("#event-form button[type=submit]").click()
    wait_for_htmx(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title.")
    screenshot(page, "event-form-errors")

    fill_event(page, title="Formal talks open", quote="We have begun", status="negotiating")
    page.locator("#event-form button[type=submit]").click()
    wait_for_htmx(page)
    expect(page.locator("#event-form")).to_contain_text("Kosovo is now Negotiating")
    expect(page.locator("#history-current-status")).to_have_text("Negotiating")
    expect(page.locator("#change-history")).to_contain_text("Formal talks open")
    assert loads == [], "the page reloaded"
    assert page.url.endswith(history)
    kosovo.refresh_from_db()
    assert kosovo.status == Status.NEGOTIATING

    # The stale form is refused: conflict message, the typed text kept, the new version carried.
    other.locator("#event-form button[type=submit]").click()
    wait_for_htmx(other)
    conflict = other.locator("#conflict")
    expect(conflict).to_contain_text("Someone else changed this while you were editing")
    expect(conflict).to_contain_text("Formal talks open")
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
