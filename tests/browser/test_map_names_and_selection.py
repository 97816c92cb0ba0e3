"""The web map in Chromium, as the server draws it (SVG) and once Plotly has taken its place:
country names drawn on it, the selected country outlined (and the outline following the panel),
Rwanda marked in the Europe-and-Africa view. Screenshots of the map at 1366 and 320 px wide."""

import pytest
from playwright.sync_api import Page, expect

from talks.services.demo import load_demo_data
from tests.browser.conftest import SCREENSHOTS, log_in, show_interactive_map, wait_for_htmx

UK = "uk-return-hubs-2025"
RWANDA = "uk-rwanda-partnership"
PLOT = "#status-map-plot"
OUTLINED = """() => {
  const gd = document.querySelector("#status-map-plot");
  const trace = gd.data.find((t) => t.uid === "selected-country");
  return trace.locations;
}"""


@pytest.fixture
def demo(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)


# The SVG's outline as the codes of the countries whose shape it traces, like OUTLINED.
OUTLINED_SVG = """() => {
  const svg = document.querySelector("#status-map-svg");
  const d = svg.querySelector(".app-map__selected").getAttribute("d");
  return [...svg.querySelectorAll("path[data-code]")]
    .filter((p) => d && p.getAttribute("d") === d).map((p) => p.getAttribute("data-code"));
}"""


def open_map(page: Page, live_server, user, query: str, width: int, plotly: bool = True) -> None:
    log_in(page, live_server, user, next_path="/healthz")
    page.set_viewport_size({"width": width, "height": 900})
    page.mouse.move(0, 0)  # away from the map: a pointer resting on it brings Plotly
    page.goto(f"{live_server.url}/?{query}")
    page.wait_for_selector("#status-map-svg", state="attached")
    if plotly:
        show_interactive_map(page)


def expect_outlined(page: Page, codes: list[str], plotly: bool = True) -> None:
    """Wait for the outline to follow the panel: the map moves it when htmx settles the swapped
    panel, a moment after the panel's new heading is on screen."""
    outlined = OUTLINED if plotly else OUTLINED_SVG
    page.wait_for_function(
        f"(codes) => JSON.stringify(({outlined})()) === JSON.stringify(codes)",
        arg=codes,
        timeout=15_000,
    )


def drawn_names(page: Page, plotly: bool = True) -> list[str]:
    if not plotly:
        return page.locator("#status-map-svg text").all_text_contents()
    return page.locator(f"{PLOT} .scatterlayer text").all_text_contents()


@pytest.mark.parametrize("plotly", [False, True], ids=["svg", "plotly"])
@pytest.mark.parametrize("width", [1366, 320])
def test_the_map_names_the_countries_on_the_list(
    page: Page, live_server, viewer, demo, width, plotly
):
    open_map(page, live_server, viewer, f"scheme={UK}", width, plotly)
    names = drawn_names(page, plotly)
    for country in ["Kosovo", "Serbia", "Albania", "Montenegro", "North Macedonia"]:
        assert country in names
    name = f"map-balkans-{width}{'' if plotly else '-svg'}.png"
    page.locator("#status-map").screenshot(path=str(SCREENSHOTS / name))


@pytest.mark.parametrize("view", ["balkans", "world"])
def test_the_svg_outline_follows_the_panel_in_both_views(
    page: Page, live_server, viewer, demo, view
):
    open_map(page, live_server, viewer, f"scheme={UK}&country=kosovo&view={view}", 1366, False)
    assert page.evaluate(OUTLINED_SVG) == ["XKX"]
    # By keyboard: a click would leave the mouse where the map may move to, which brings Plotly.
    page.locator("#status-table a", has_text="Serbia").press("Enter")
    expect(page.locator("#country-panel h2")).to_have_text("Serbia")
    wait_for_htmx(page)
    expect_outlined(page, ["SRB"], plotly=False)
    page.get_by_role("link", name="Close country details").press("Enter")
    expect(page.locator("#country-panel h2")).to_have_text("Country details")
    wait_for_htmx(page)
    expect_outlined(page, [], plotly=False)
    assert page.locator(f"{PLOT}[data-drawn]").count() == 0  # the SVG stayed; Plotly never came


@pytest.mark.parametrize("view", ["balkans", "world"])
def test_the_selected_country_is_outlined_and_the_outline_follows_the_panel(
    page: Page, live_server, viewer, demo, view
):
    open_map(page, live_server, viewer, f"scheme={UK}&country=kosovo&view={view}", 1366)
    assert page.evaluate(OUTLINED) == ["XKX"]
    page.locator("#status-table a", has_text="Serbia").click()
    expect(page.locator("#country-panel h2")).to_have_text("Serbia")
    wait_for_htmx(page)
    expect_outlined(page, ["SRB"])
    outline = page.locator(f"{PLOT} .choroplethlayer .trace").nth(
        page.evaluate(
            "() => document.querySelector('#status-map-plot').data"
            ".filter((t) => t.type === 'choropleth')"
            ".findIndex((t) => t.uid === 'selected-country')"
        )
    )
    expect(outline.locator("path.choroplethlocation")).to_have_count(1)
    page.locator("#status-map").screenshot(
        path=str(SCREENSHOTS / f"map-selected-serbia-{view}.png")
    )
    page.get_by_role("link", name="Close country details").click()
    expect(page.locator("#country-panel h2")).to_have_text("Country details")
    wait_for_htmx(page)
    expect_outlined(page, [])


@pytest.mark.parametrize("width", [1366, 320])
def test_rwanda_is_marked_and_named_in_the_europe_and_africa_view(
    page: Page, live_server, viewer, demo, width
):
    open_map(page, live_server, viewer, f"scheme={RWANDA}&view=world", width, plotly=False)
    svg_marker = page.locator("#status-map-svg a[data-country=rwanda] .app-map__marker")
    expect(svg_marker).to_have_count(1)
    assert svg_marker.evaluate("m => getComputedStyle(m).stroke") == "rgb(85, 85, 85)"  # Ended
    assert "Rwanda" in drawn_names(page, plotly=False)
    show_interactive_map(page)
    index = page.evaluate(
        "() => document.querySelector('#status-map-plot').data"
        ".filter((t) => t.type === 'scattergeo')"
        ".findIndex((t) => t.uid === 'small-countries')"
    )
    marker = page.locator(f"{PLOT} .scatterlayer .trace").nth(index).locator(".point")
    expect(marker).to_have_count(1)
    box = marker.bounding_box()
    assert box["width"] >= 12 and box["height"] >= 12  # a target a finger can find
    assert "Rwanda" in drawn_names(page)
    page.locator("#status-map").screenshot(path=str(SCREENSHOTS / f"map-world-rwanda-{width}.png"))
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*centre)  # Plotly picks the point on hover, then takes the click
    page.wait_for_selector(f"{PLOT} .hoverlayer .hovertext", state="attached")
    page.mouse.click(*centre)
    expect(page.locator("#country-panel h2")).to_have_text("Rwanda")
