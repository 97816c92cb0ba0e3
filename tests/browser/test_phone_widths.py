"""Phones: at 390 and 320 CSS pixels wide the map page, the scheme page and the country list fit
the screen (no sideways scrolling), and the map's legend is not cut off."""

import pytest
from playwright.sync_api import Page

from talks.services.demo import load_demo_data
from tests.browser.conftest import SCREENSHOTS, log_in, screenshot, show_interactive_map

UK = "uk-return-hubs-2025"
PAGES = {
    "map": f"/?scheme={UK}&country=kosovo",
    "map-europe-africa": f"/?scheme={UK}&view=world",
    "scheme": f"/schemes/{UK}/",
    "country-list": "/countries/",
    "country": "/countries/kosovo/",
    "event-log": "/events/",
}
WIDEST = """() => {
  let widest = null;
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (e.closest(".app-table-scroll")) { continue; }
    if (r.width && r.right > document.documentElement.clientWidth + 1 &&
        (!widest || r.right > widest.right)) {
      widest = {right: r.right, tag: e.tagName, cls: String(e.className).slice(0, 60)};
    }
  }
  return widest;
}"""


@pytest.fixture
def demo(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("name", PAGES)
def test_pages_fit_a_phone_screen(page: Page, live_server, cleared_analyst, demo, width, name):
    log_in(page, live_server, cleared_analyst, next_path="/healthz")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}{PAGES[name]}")
    page.wait_for_load_state("networkidle")
    if name.startswith("map"):
        first_view = page.evaluate("document.documentElement.scrollWidth")
        assert first_view <= width, f"{name}'s first view is {first_view}px wide"
        show_interactive_map(page)
    screenshot(page, f"phone-{width}-{name}")
    page.screenshot(path=str(SCREENSHOTS / f"phone-{width}-{name}-top.png"))
    document_width = page.evaluate("document.documentElement.scrollWidth")
    assert document_width <= width, f"{name} is {document_width}px wide: {page.evaluate(WIDEST)}"


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_the_map_legend_is_whole(page: Page, live_server, viewer, demo, width):
    log_in(page, live_server, viewer, next_path="/healthz")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/?scheme={UK}")
    show_interactive_map(page)
    plot = page.locator("#status-map").bounding_box()
    texts = page.locator("#status-map .app-map__legend li")
    assert texts.count() >= 2
    for index in range(texts.count()):
        box = texts.nth(index).bounding_box()
        assert box["x"] >= plot["x"] - 1, texts.nth(index).text_content()
        assert box["x"] + box["width"] <= plot["x"] + plot["width"] + 1, (
            f"legend entry cut off at {width}px: {texts.nth(index).text_content()}"
        )
    screenshot(page, f"map-{width}")
    page.locator("#status-map").screenshot(path=str(SCREENSHOTS / f"map-{width}-figure.png"))


@pytest.mark.parametrize("width", [320, 390])
def test_the_map_filters_fit_inside_their_panel(page: Page, live_server, viewer, demo, width):
    log_in(page, live_server, viewer, next_path="/healthz")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/?scheme={UK}")
    panel = page.locator(".app-dash-filters").bounding_box()
    controls = page.locator(".app-dash-filters select, .app-dash-filters input")
    assert controls.count() >= 4
    for index in range(controls.count()):
        box = controls.nth(index).bounding_box()
        name = controls.nth(index).get_attribute("name")
        assert box["x"] + box["width"] <= panel["x"] + panel["width"], (
            f"the {name} field sticks out of the filters at {width}px"
        )
