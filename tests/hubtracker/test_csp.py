"""A Content Security Policy on every response; templates with no inline code it would refuse."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.pages import existing_page_types, user_for

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
    for path in folder.rglob("*.html")
    if ".venv" not in path.parts
    # Rendered by WeasyPrint into a PDF, or sent as an email: never served to a browser, no CSP.
    and not path.name.endswith(("_pdf.html", "_email.html"))
)


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def assert_strict_csp(response) -> None:
    policy = directives(response)
    assert policy["script-src"] == ["'self'", f"'nonce-{response.csp_nonce}'"] or (
        "'unsafe-inline'" not in policy["script-src"]
        and "'unsafe-eval'" not in policy["script-src"]
    )
    assert "'unsafe-inline'" not in policy["style-src"]
    assert "'unsafe-eval'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]


@pytest.mark.parametrize("url", ["/login/", "/healthz", "/no-such-page/"])
def test_public_responses_carry_a_strict_csp(client, url, db):
    response = client.get(url)
    assert "Content-Security-Policy" in response.headers
    policy = directives(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]


@pytest.mark.parametrize("page", existing_page_types(), ids=str)
def test_every_page_carries_a_strict_csp_and_nonces_its_scripts(client, page, request, db):
    call_command("load_demo_data", verbosity=0)
    client.force_login(user_for(page, request))
    response = client.get(page.url)
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    nonce = re.search(r"'nonce-([^']+)'", " ".join(policy["script-src"])).group(1)
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        if 'type="application/json"' not in tag and "src=" not in tag:
            assert f'nonce="{nonce}"' in tag, f"{page}: inline script without the nonce: {tag}"


def test_admin_pages_carry_the_csp_too(admin_client):
    response = admin_client.get("/admin/talks/talkevent/")
    assert response.status_code == 200
    assert "'unsafe-eval'" not in directives(response)["script-src"]


# Template scan: a strict CSP refuses each of these, so none may appear in our templates.
FORBIDDEN = {
    "inline event handler (onclick=...)": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "style attribute (use a class in hubtracker.css)": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "hx-on attribute (needs unsafe-eval)": re.compile(r"\s(?:data-)?hx-on[:\-]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "js: expression in hx-vals/hx-vars": re.compile(r"hx-va(?:ls|rs)\s*=\s*['\"]js:", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_hold_no_inline_code_the_csp_would_refuse(template):
    text = template.read_text()
    for what, pattern in FORBIDDEN.items():
        assert not pattern.search(text), f"{what} in {template.relative_to(ROOT)}"
    for tag in re.findall(r"<script\b[^>]*>", text, re.I):
        assert "nonce=" in tag or "src=" in tag, (
            f"<script> without a nonce in {template.relative_to(ROOT)}: {tag}"
        )
