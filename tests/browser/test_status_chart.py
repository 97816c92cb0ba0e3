"""The scheme page's status-over-time chart, drawn by Plotly in the browser: one lane per
country, named in full on a desktop, and on a phone still mostly lanes rather than names."""

import pytest
from playwright.sync_api import Page

from talks.services.demo import load_demo_data
from tests.browser.conftest import log_in

UK = "uk-return-hubs-2025"
PLOT = "#status-over-time-plot"
COUNTRIES = ["Albania", "Bosnia and Herzegovina", "Kosovo", "Montenegro", "North Macedonia"]


@pytest.fixture
def demo(cleared_analyst):
    load_demo_data(recorded_by=cleared_analyst)


def open_chart(page: Page, live_server, viewer, width: int) -> None:
    log_in(page, live_server, viewer, next_path="/healthz")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/schemes/{UK}/")
    page.wait_for_selector(f"{PLOT} .main-svg", state="attached")


def lane_names(page: Page) -> list[str]:
    # A wrapped name is drawn as one <text> with a <tspan> per line.
    return [
        " ".join(text.split())
        for text in page.locator(f"{PLOT} .ytick text").evaluate_all(
            "(texts) => texts.map((t) => [...t.childNodes].map((n) => n.textContent).join(' '))"
        )
    ]


def lanes_share_of_width(page: Page) -> float:
    return page.evaluate(
        f"(() => {{ const gd = document.querySelector('{PLOT}');"
        " return gd._fullLayout._size.w / gd.clientWidth; })()"
    )


def test_on_a_desktop_each_country_has_a_lane_named_in_full(page, live_server, viewer, demo):
    open_chart(page, live_server, viewer, 1366)
    names = lane_names(page)
    for country in COUNTRIES:
        assert country in names
    assert page.locator(f"{PLOT} .ytick text tspan").count() == 0  # one line each
    assert lanes_share_of_width(page) > 0.7


def test_on_a_phone_the_names_wrap_and_the_lanes_keep_most_of_the_width(
    page, live_server, viewer, demo
):
    open_chart(page, live_server, viewer, 320)
    names = lane_names(page)
    for country in COUNTRIES:
        assert country in names
    assert lanes_share_of_width(page) > 0.5
    years = page.locator(f"{PLOT} .xtick text").all_text_contents()
    assert years and all(year.isdigit() and len(year) == 4 for year in years)
