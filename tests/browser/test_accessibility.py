"""Accessibility in a real browser: axe-core (served by the app, WCAG 2.2 AA rules) on every page
type with 0 serious or critical violations; no Content Security Policy violation on any page;
keyboard access to every control on the dashboard, the map's included, with visible focus; a
working skip link.

The page types come from tests/pages.py, so new pages are checked as soon as they land.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page

from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD
from tests.pages import existing_page_types, user_for

AXE = "/static/vendor/axe-core-4.11.1/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), "
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])"
)


@pytest.fixture
def demo(db):
    """The demo data. It has users called viewer, analyst and manager too: give them the test
    password so the fixtures of the same name can still sign in, whatever ran first."""
    call_command("load_demo_data", verbosity=0)
    for user in get_user_model().objects.filter(username__in=["viewer", "analyst", "manager"]):
        user.set_password(PASSWORD)
        user.save()


def sign_in(page: Page, live_server, user, next_path: str = "/healthz") -> None:
    log_in(page, live_server, user, next_path=next_path)
    assert "/login/" not in page.url, f"{user.username} could not sign in"


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    """Console messages in which the browser reports a refused script or style."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def run_axe(page: Page, live_server) -> list[dict]:
    """Serious and critical WCAG 2.2 AA violations on the current page.

    axe is loaded by URL from the app's own static files: a strict CSP allows scripts from 'self'
    but would refuse add_script_tag(path=...), which inlines the file.
    """
    page.add_script_tag(url=f"{live_server.url}{AXE}")
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    found = []
    for violation in results["violations"]:
        nodes = violation["nodes"]
        if violation["impact"] in {"serious", "critical"} and nodes:
            found.append(
                {
                    "rule": violation["id"],
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "nodes": [node["target"] for node in nodes][:5],
                }
            )
    return found


def check_page(page: Page, live_server, name: str, csp_violations: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    screenshot(page, f"a11y-{name}")
    violations = run_axe(page, live_server)
    assert not violations, f"{name}: {violations}"
    assert not csp_violations, f"{name}: CSP refused something: {csp_violations}"


def test_login_page_is_accessible(page, live_server, db, csp_violations):
    page.goto(f"{live_server.url}/login/")
    check_page(page, live_server, "login", csp_violations)


def test_login_errors_are_accessible(page, live_server, db, csp_violations):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_login", "nobody")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    check_page(page, live_server, "login-error", csp_violations)


def test_404_page_is_accessible(page, live_server, viewer, csp_violations):
    sign_in(page, live_server, viewer)
    page.goto(f"{live_server.url}/no-such-page/")
    check_page(page, live_server, "404", csp_violations)


@pytest.mark.parametrize("page_type", existing_page_types(), ids=str)
def test_every_page_type_is_accessible(page, live_server, demo, request, page_type, csp_violations):
    user = user_for(page_type, request)
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}{page_type.url}")
    check_page(page, live_server, page_type.name, csp_violations)


def test_403_page_is_accessible(page, live_server, viewer, demo, csp_violations):
    forbidden = [p for p in existing_page_types() if p.role != "viewer"]
    if not forbidden:
        pytest.skip("no page closed to viewers yet")
    sign_in(page, live_server, viewer)
    response = page.goto(f"{live_server.url}{forbidden[0].url}")
    assert response.status == 403
    check_page(page, live_server, "403", csp_violations)


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(page, live_server, viewer):
    sign_in(page, live_server, viewer)
    page.goto(f"{live_server.url}/no-such-page/")  # any page without autofocus
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.locator(".govuk-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    assert page.evaluate("document.activeElement.id") == "main-content"


def reachable_by_tab(page: Page, limit: int = 300) -> list[str]:
    """Tab through the page from its start; return the key of each element that took focus."""
    page.reload()
    page.wait_for_load_state("networkidle")
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        key = page.evaluate(
            "(() => { const e = document.activeElement;"
            " if (!e || e === document.body) return null;"
            " if (!e.dataset.a11yKey) e.dataset.a11yKey = 'k' + Math.random();"
            " return e.dataset.a11yKey; })()"
        )
        if key is None or (seen and key == seen[0]):
            break
        seen.append(key)
    return seen


FOCUS_STYLE = """e => {
  const s = getComputedStyle(e);
  return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow !== 'none', background: s.backgroundColor};
}"""


def test_every_dashboard_control_is_reachable_by_keyboard_with_visible_focus(
    page, live_server, demo, viewer
):
    if "dashboard" not in {p.name for p in existing_page_types()}:
        pytest.skip("the dashboard has not landed yet")
    sign_in(page, live_server, viewer, next_path="/")
    page.wait_for_load_state("networkidle")
    reached = set(reachable_by_tab(page))
    controls = page.locator(FOCUSABLE)
    visible = [controls.nth(i) for i in range(controls.count()) if controls.nth(i).is_visible()]
    missed = []
    for control in visible:
        key = control.get_attribute("data-a11y-key")
        if key not in reached:
            missed.append(control.evaluate("e => e.outerHTML.slice(0, 120)"))
    assert not missed, f"Controls the keyboard cannot reach: {missed}"
    unmarked = []
    for control in visible:
        control.focus()
        style = control.evaluate(FOCUS_STYLE)
        if not (style["outline"] or style["shadow"]):
            unmarked.append(control.evaluate("e => e.outerHTML.slice(0, 120)"))
    assert not unmarked, f"Focus not visible on: {unmarked}"


def test_the_map_has_no_mouse_only_controls(page, live_server, demo, viewer):
    """Plotly's mode bar buttons are links without href: unreachable by keyboard. The dashboard
    must hide them (displayModeBar: false) and offer its own keyboard controls."""
    if "dashboard" not in {p.name for p in existing_page_types()}:
        pytest.skip("the dashboard has not landed yet")
    sign_in(page, live_server, viewer, next_path="/")
    page.wait_for_load_state("networkidle")
    mode_bar_buttons = page.locator(".modebar-btn:visible")
    assert mode_bar_buttons.count() == 0
