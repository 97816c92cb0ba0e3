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
