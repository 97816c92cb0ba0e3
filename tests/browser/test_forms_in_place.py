"""Forms that open in place, by keyboard: focus lands in the form, Cancel closes it and gives
focus back to what opened it, and the page holds no duplicate ids while a form is open.
The radios that reveal more questions carry no aria-expanded (not allowed on a radio)."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from talks.services.demo import load_demo_data
from tests.browser.conftest import log_in, screenshot, wait_for_htmx

UK = "uk-return-hubs-2025"
DUPLICATE_IDS = """() => {
  const seen = {};
  document.querySelectorAll("[id]").forEach((e) => { seen[e.id] = (seen[e.id] || 0) + 1; });
  return Object.keys(seen).filter((id) => seen[id] > 1);
}"""
FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName, text: (e.textContent || "").trim().slice(0, 80), id: e.id,
          inForm: !!e.closest("[data-form-region]"),
          slot: (e.closest("[data-form-slot]") || {}).id};
}"""


@pytest.fixture
def demo(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)


def count_loads(page: Page) -> list[str]:
    loads: list[str] = []
    page.on("load", lambda _: loads.append(page.url))
    return loads


def press_link(page: Page, locator) -> None:
    """Reach a control by keyboard focus and press Enter, as a keyboard user does."""
    locator.focus()
    page.keyboard.press("Enter")


def test_add_event_from_the_map_panel_opens_beside_the_panel_with_focus_in_it(
    page: Page, live_server, cleared_analyst, demo
):
    log_in(page, live_server, cleared_analyst, next_path=quote(f"/?scheme={UK}&country=kosovo"))
    expect(page.locator("#country-panel h2")).to_have_text("Kosovo")
    loads = count_loads(page)
    opener = page.get_by_role("link", name="Add an event for Kosovo")
    press_link(page, opener)
    page.wait_for_selector("#event-form-slot #event-form form")
    wait_for_htmx(page)

    focused = page.evaluate(FOCUSED)
    assert focused["tag"] == "H2" and focused["inForm"], focused
    assert "Add an event" in focused["text"]
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["inForm"] and first["tag"] == "INPUT", first  # the date precision, first field

    # Beside the panel: the form starts right under it, in the same column.
    panel = page.locator("#country-panel").bounding_box()
    form = page.locator("#event-form-slot").bounding_box()
    assert 0 <= form["y"] - (panel["y"] + panel["height"]) <= 40, (panel, form)
    assert abs(form["x"] - panel["x"]) <= 2, (panel, form)

    assert page.evaluate(DUPLICATE_IDS) == []
    screenshot(page, "map-event-form-beside-panel")

    press_link(page, page.locator("#event-form [data-form-cancel]"))
    expect(page.locator("#event-form")).to_have_count(0)
    assert loads == [], "Cancel navigated instead of closing the form"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Add an event for Kosovo"


def test_event_log_add_event_takes_focus_and_cancel_closes_it(
    page: Page, live_server, cleared_analyst, demo
):
    log_in(page, live_server, cleared_analyst, next_path="/events/")
    loads = count_loads(page)
    button = page.get_by_role("button", name="Add an event").or_(
        page.get_by_role("link", name="Add an event")
    )
    press_link(page, button)
    page.wait_for_selector("#event-form-slot #event-choose")
    wait_for_htmx(page)
    focused = page.evaluate(FOCUSED)
    assert focused == {**focused, "tag": "H2", "text": "Add an event", "inForm": True}

    page.select_option("#id_where", f"{UK}/kosovo")
    press_link(page, page.get_by_role("button", name="Continue"))
    page.wait_for_selector("#event-form-slot #event-form form")
    wait_for_htmx(page)
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] == "H2" and focused["inForm"] and "Add an event" in focused["text"]
    assert page.evaluate(DUPLICATE_IDS) == []

    press_link(page, page.locator("#event-form [data-form-cancel]"))
    expect(page.locator("#event-form-slot")).to_be_empty()
    assert loads == [], "Cancel navigated instead of closing the form"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Add an event"
    assert page.url.endswith("/events/")


def test_a_correction_opens_under_its_event_and_cancel_returns_to_its_link(
    page: Page, live_server, cleared_analyst, demo
):
    log_in(page, live_server, cleared_analyst, next_path="/events/")
    correct = page.locator(".app-event__actions a", has_text="Correct").first
    press_link(page, correct)
    page.wait_for_selector(".app-event__editor [data-form-region] form")
    wait_for_htmx(page)
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] == "H2" and focused["inForm"] and "Correct" in focused["text"]
    editor = focused["slot"]
    press_link(page, page.locator(f"#{editor} [data-form-cancel]"))
    expect(page.locator(f"#{editor}")).to_be_empty()
    assert page.evaluate("document.activeElement.textContent.trim()").startswith("Correct")


def test_revealing_radios_carry_no_aria_expanded(page: Page, live_server, cleared_analyst, demo):
    log_in(page, live_server, cleared_analyst, next_path=reverse("event_new", args=[UK, "kosovo"]))
    page.wait_for_selector("#id_source_mode_new")
    page.check("#id_source_mode_new")
    expect(page.locator("#id_source_outlet")).to_be_visible()
    page.check("#id_source_mode")
    expect(page.locator("#id_source_outlet")).to_be_hidden()
    expect(page.locator("#id_source")).to_be_visible()
    assert page.locator("input[aria-expanded]").count() == 0
    # The back link sits in a landmark (a nav), as every piece of content should.
    assert page.locator("nav .govuk-back-link").count() == 1
