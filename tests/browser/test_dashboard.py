"""The map dashboard in Chromium: a drawn map with Kosovo, the date control, the country panel.

Every request that leaves the app's origin fails the test (see conftest.py).
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from talks.rules.statuses import COLOURS, Status
from talks.services.demo import load_demo_data
from tests.browser.conftest import log_in, screenshot, show_interactive_map, wait_for_htmx

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UK = "uk-return-hubs-2025"
PLOT = "#status-map-plot"
AXE = Path(__file__).resolve().parents[2] / "static/vendor/axe-core-4.11.1/axe.min.js"


@pytest.fixture
def demo(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)


def wait_for_map(page: Page) -> None:
    show_interactive_map(page)


def trace_of(page: Page, code: str) -> dict:
    """The drawn (gd.data) coloured trace holding `code`, and how many paths its layer drew."""
    return page.evaluate(
        """([selector, code]) => {
            const gd = document.querySelector(selector);
            const index = gd.data.findIndex(
                (t, i) => i > 0 && t.type === "choropleth" && t.locations.includes(code));
            if (index < 0) { return null; }
            const layer = gd.querySelectorAll(".choroplethlayer .trace")[index];
            const paths = layer ? layer.querySelectorAll("path.choroplethlocation") : [];
            return {name: gd.data[index].name, colour: gd.data[index].colorscale[0][1],
                    paths: paths.length,
                    fill: paths.length ? getComputedStyle(paths[0]).fill : ""};
        }""",
        [PLOT, code],
    )


def status_cell(page: Page, country: str):
    return page.locator("#status-table tr", has_text=country).locator("td").first


def test_viewer_sees_a_drawn_map_with_kosovo_coloured_as_its_own_country(
    page: Page, live_server, viewer, demo
):
    log_in(page, live_server, viewer)
    page.goto(f"{live_server.url}/?scheme={UK}")
    wait_for_map(page)
    kosovo = trace_of(page, "XKX")
    assert kosovo["name"] == "Negotiating"
    assert kosovo["colour"] == COLOURS[Status.NEGOTIATING]
    assert kosovo["paths"] == 1
    assert kosovo["fill"] == "rgb(240, 228, 66)"  # #F0E442, drawn
    assert trace_of(page, "SRB")["name"] == "Shortlisted"
    expect(page.locator(f"{PLOT} .scatterlayer .js-line")).to_have_count(1)  # the route
    expect(page.locator(".app-map__legend li", has_text="Negotiating")).to_be_visible()
    expect(status_cell(page, "Kosovo")).to_have_text("Negotiating")
    screenshot(page, "dashboard-viewer")


def test_changing_the_date_redraws_map_and_table_and_the_url_keeps_it(
    page: Page, live_server, viewer, demo
):
    log_in(page, live_server, viewer)
    page.goto(f"{live_server.url}/?scheme={UK}")
    wait_for_map(page)
    page.fill("#date", "2025-06-01")
    wait_for_htmx(page)
    expect(status_cell(page, "Kosovo")).to_have_text("Open to talks")
    expect(status_cell(page, "Montenegro")).to_have_text("No status recorded")
    wait_for_map(page)
    assert trace_of(page, "XKX")["name"] == "Open to talks"
    assert trace_of(page, "XKX")["fill"] == "rgb(86, 180, 233)"  # #56B4E9
    assert "date=2025-06-01" in page.url and f"scheme={UK}" in page.url
    screenshot(page, "dashboard-june-2025")

    page.goto(page.url)  # a copied link reproduces the view
    wait_for_map(page)
    assert trace_of(page, "XKX")["name"] == "Open to talks"
    expect(page.locator("#date")).to_have_value("2025-06-01")


def test_back_returns_to_the_previous_date_with_the_map_drawn(
    page: Page, live_server, viewer, demo
):
    log_in(page, live_server, viewer)
    page.goto(f"{live_server.url}/?scheme={UK}")
    wait_for_map(page)
    page.fill("#date", "2025-06-01")
    wait_for_htmx(page)
    expect(status_cell(page, "Kosovo")).to_have_text("Open to talks")
    page.go_back()
    expect(status_cell(page, "Kosovo")).to_have_text("Negotiating")  # the page loaded afresh
    wait_for_map(page)
    assert trace_of(page, "XKX")["name"] == "Negotiating"


def test_the_dashboard_passes_axe_checks(page: Page, live_server, cleared_analyst, demo):
    log_in(page, live_server, cleared_analyst)
    page.goto(f"{live_server.url}/?scheme={UK}&country=kosovo")
    wait_for_map(page)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []


def test_clicking_a_country_opens_its_panel_in_place(page: Page, live_server, viewer, demo):
    log_in(page, live_server, viewer)
    page.goto(f"{live_server.url}/?scheme={UK}")
    wait_for_map(page)
    page.locator("#status-table a", has_text="Kosovo").click()
    wait_for_htmx(page)
    panel = page.locator("#country-panel")
    expect(panel.locator("h2")).to_have_text("Kosovo")
    expect(panel).to_contain_text("Negotiating")
    expect(panel).to_contain_text("Latest events")
    assert "country=kosovo" in page.url
    assert page.locator(f"{PLOT}[data-drawn]").count() == 1  # the map stayed; no page load
    screenshot(page, "dashboard-panel-kosovo")

    # Click Montenegro on the map (away from the route, whose waypoints have hover text too).
    # Montenegro shares its trace (Rejected) with other countries: take its own path.
    trace, location = page.evaluate(
        """s => {
            const data = document.querySelector(s).data;
            const trace = data.findIndex((t, i) => i > 0 && (t.locations || []).includes("MNE"));
            return [trace, data[trace].locations.indexOf("MNE")];
        }""",
        PLOT,
    )
    montenegro = page.locator(".choroplethlayer .trace").nth(trace).locator("path").nth(location)
    box = montenegro.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_htmx(page)
    expect(panel.locator("h2")).to_have_text("Montenegro")
    assert "country=montenegro" in urlsplit(page.url).query
    screenshot(page, "dashboard-panel-montenegro-from-map")


def test_world_view_and_an_empty_scheme(page: Page, live_server, viewer, demo):
    log_in(page, live_server, viewer)
    page.goto(f"{live_server.url}/?scheme=netherlands-uganda-return-hub&view=world")
    wait_for_map(page)
    assert trace_of(page, "UGA")["paths"] == 1
    screenshot(page, "dashboard-world-uganda")
    page.select_option("#scheme", "eu-return-hubs-working-group")
    wait_for_htmx(page)
    expect(page.locator("#status-table")).to_contain_text("No countries are on the list")
    screenshot(page, "dashboard-empty-scheme")


def test_the_dashboard_works_without_javascript(browser, live_server, viewer, demo):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    origin = urlsplit(live_server.url).netloc
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).netloc == origin else route.abort()
        ),
    )
    page = context.new_page()
    try:
        log_in(page, live_server, viewer)
        page.goto(f"{live_server.url}/?scheme={UK}")
        expect(status_cell(page, "Kosovo")).to_have_text("Negotiating")
        expect(page.locator("#status-map-svg a[data-country=kosovo]")).to_have_count(1)
        page.fill("#date", "2025-06-01")
        page.click(".app-dash-filters button[type=submit]")
        page.wait_for_load_state()
        expect(status_cell(page, "Kosovo")).to_have_text("Open to talks")
        assert "date=2025-06-01" in page.url
        page.locator("#status-table a", has_text="Serbia").click()
        page.wait_for_load_state()
        expect(page.locator("#country-panel h2")).to_have_text("Serbia")
        screenshot(page, "dashboard-no-javascript")
        page.locator("#status-map-svg a[data-country=kosovo] path").click()
        page.wait_for_load_state()
        expect(page.locator("#country-panel h2")).to_have_text("Kosovo")
        expect(page.locator("#status-map-svg .app-map__selected")).to_have_attribute(
            "d", page.locator("#status-map-svg path[data-code=XKX]").get_attribute("d")
        )
    finally:
        context.close()
