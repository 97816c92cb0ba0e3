"""Our own CSS and JS parse: no merge leftovers, balanced braces (a stray line silently drops
rules in the browser)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OWN_FILES = sorted(
    [*(ROOT / "static" / "css").glob("*.css"), *(ROOT / "static" / "js").glob("*.js")]
    + [*(ROOT / "templates").rglob("*.html")]
)
CONFLICT = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.M)


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_merge_conflict_markers(path):
    assert not CONFLICT.search(path.read_text()), f"merge conflict marker in {path.name}"


@pytest.mark.parametrize("path", [p for p in OWN_FILES if p.suffix == ".css"], ids=lambda p: p.name)
def test_css_braces_balance(path):
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}:{number}: '}}' without '{{'"
    assert depth == 0, f"{path.name}: {depth} unclosed '{{'"


STYLESHEET = ROOT / "static" / "css" / "hubtracker.css"


def test_the_stylesheet_is_organised_by_component_not_by_author():
    comments = " ".join(re.findall(r"/\*.*?\*/", STYLESHEET.read_text(), flags=re.S)).lower()
    for word in ("helper", "engineer", "session", "agent"):
        assert word not in comments, f"the stylesheet names who wrote it: {word}"


def test_no_selector_is_declared_twice_at_the_top_level():
    text = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    selectors = [s.strip() for s in re.findall(r"^([^\s@}][^{]*)\{", text, flags=re.M)]
    repeated = sorted({s for s in selectors if selectors.count(s) > 1})
    assert not repeated, f"declared more than once: {repeated}"


def test_every_loading_indicator_uses_the_one_loading_style():
    for path in (ROOT / "templates").rglob("*.html"):
        for classes in re.findall(r'class="([^"]*htmx-indicator[^"]*)"', path.read_text()):
            assert "app-loading" in classes.split(), f"{path.name}: {classes}"
    assert ".app-loading" in STYLESHEET.read_text()
