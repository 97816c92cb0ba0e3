"""The map's first view in Chromium: the server's SVG, usable before (and without) Plotly, and
Plotly taking its place without a jump when the user points at the map."""

import pytest
from playwright.sync_api import Page, expect

from talks.services.demo import load_demo_data
from tests.browser.conftest import SCREENSHOTS, log_in, show_interactive_map, wait_for_htmx

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UK = "uk-return-hubs-2025"
SVG = "#status-map-svg"


@pytest.fixture
def demo(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)


@pytest.fixture
def plotly_requests(page: Page) -> list[str]:
    found: list[str] = []
    page.on("request", lambda r: found.append(r.url) if "plotly" in r.url else None)
    return found


def open_map(page: Page, live_server, user, query: str, width: int = 1366) -> None:
    log_in(page, live_server, user, next_path="/healthz")
    page.set_viewport_size({"width": width, "height": 900})
    page.mouse.move(0, 0)  # away from the map: a pointer resting on it brings Plotly
    page.goto(f"{live_server.url}/?{query}")
    page.wait_for_load_state("networkidle")


def test_the_first_view_is_the_servers_map_in_status_colours_without_plotly(
    page: Page, live_server, viewer, demo, plotly_requests
):
    open_map(page, live_server, viewer, f"scheme={UK}")
    kosovo = page.locator(f"{SVG} a[data-country=kosovo]")
    expect(kosovo).to_have_attribute("aria-label", "Kosovo: Negotiating")
    fill = kosovo.locator("path").evaluate("p => getComputedStyle(p).fill")
    assert fill == "rgb(240, 228, 66)"  # #F0E442, Negotiating
    serbia = page.locator(f"{SVG} a[data-country=serbia] path")
    assert serbia.evaluate("p => getComputedStyle(p).fill") == "rgb(135, 135, 135)"  # Shortlisted
    names = page.locator(f"{SVG} .app-map__names text").all_text_contents()
    assert {"Kosovo", "Serbia", "North Macedonia"} <= set(names)
    expect(page.locator(".app-map__legend li", has_text="Negotiating")).to_be_visible()
    assert plotly_requests == []
    assert page.evaluate("typeof window.Plotly") == "undefined"


def test_a_country_is_reached_by_keyboard_and_opens_its_panel_in_place(
    page: Page, live_server, viewer, demo, plotly_requests
):
    open_map(page, live_server, viewer, f"scheme={UK}")
    page.evaluate("window.stayedOnPage = true")
    link = page.locator(f"{SVG} a[data-country=kosovo]")
    page.locator("#view").focus()
    for _ in range(40):  # Tab from the form into the map until Kosovo has focus
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            break
    assert link.evaluate("a => a === document.activeElement")
    assert link.evaluate("a => getComputedStyle(a).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    wait_for_htmx(page)
    expect(page.locator("#country-panel h2")).to_have_text("Kosovo")
    expect(page.locator("#country-panel")).to_be_focused()
    assert page.evaluate("window.stayedOnPage") is True  # htmx swapped the panel in
    assert "country=kosovo" in page.url
    assert plotly_requests == []  # the keyboard never needs Plotly
    page.locator("#status-map").screenshot(path=str(SCREENSHOTS / "map-svg-keyboard-kosovo.png"))


def test_a_click_on_the_svg_opens_the_panel_and_plotly_then_takes_over(
    page: Page, live_server, viewer, demo
):
    open_map(page, live_server, viewer, f"scheme={UK}")
    page.locator(f"{SVG} a[data-country=serbia] path").click()
    expect(page.locator("#country-panel h2")).to_have_text("Serbia")
    page.wait_for_selector("#status-map-plot[data-drawn]", state="attached")
    expect(page.locator(SVG)).to_have_count(0)
    outlined = page.evaluate(
        "() => document.querySelector('#status-map-plot').data"
        ".find((t) => t.uid === 'selected-country').locations"
    )
    assert outlined == ["SRB"]


def box_of(page: Page, selector: str) -> dict:
    """Where an element is on the page (not in the viewport, which scrolls for screenshots)."""
    return page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; }"
    )


PLOTLY_KOSOVO = """() => {
  const gd = document.querySelector("#status-map-plot");
  const index = gd.data.findIndex((t, i) => i > 0 && t.type === "choropleth"
      && t.uid !== "selected-country" && t.locations.includes("XKX"));
  const trace = gd.querySelectorAll(".choroplethlayer .trace")[index];
  const path = trace.querySelectorAll("path.choroplethlocation")[
      gd.data[index].locations.indexOf("XKX")];
  const r = path.getBoundingClientRect();
  return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height};
}"""


@pytest.mark.parametrize("view", ["balkans", "world"])
@pytest.mark.parametrize("width", [1366, 320])
def test_plotly_takes_the_svgs_place_without_a_jump(
    page: Page, live_server, viewer, demo, width, view
):
    open_map(page, live_server, viewer, f"scheme={UK}&view={view}", width)
    frame_before = box_of(page, "#status-map")
    kosovo_before = box_of(page, f"{SVG} path[data-code=XKX]")
    page.locator("#status-map").screenshot(path=str(SCREENSHOTS / f"map-{view}-{width}-svg.png"))
    show_interactive_map(page)
    page.locator("#status-map").screenshot(path=str(SCREENSHOTS / f"map-{view}-{width}-plotly.png"))
    frame_after = box_of(page, "#status-map")
    kosovo_after = page.evaluate(PLOTLY_KOSOVO)
    for key in ("x", "y", "width", "height"):
        assert abs(frame_before[key] - frame_after[key]) <= 1, (key, frame_before, frame_after)
        assert abs(kosovo_before[key] - kosovo_after[key]) <= 2, (key, kosovo_before, kosovo_after)
