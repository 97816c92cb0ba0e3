"""The status map names the countries on the list, outlines the selected one, marks countries
too small to see in the Europe-and-Africa view, and shares one palette with the PDF's map in
which Shortlisted stands out from the grey of countries not on the list."""

import re
from pathlib import Path

from countries.geography import BALKANS, WORLD
from talks.documents import static_map
from talks.rules.statuses import COLOURS, NOT_LISTED_COLOUR, Status
from talks.selectors import status_map
from talks.selectors.status_map import SELECTED_UID, build_status_map
from tests.talks.test_maps import BASE, ROUTE, row

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "hubtracker.css"


def build(rows, view=BALKANS, **kwargs):
    return build_status_map(rows, ROUTE, view, base_codes=BASE, static_url="/static/", **kwargs)


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_shortlisted_has_3_to_1_contrast_with_countries_not_on_the_list():
    assert contrast(COLOURS[Status.SHORTLISTED], NOT_LISTED_COLOUR) >= 3.0
    assert contrast("#BBBBBB", "#E8E8E8") < 3.0  # the old pair, which users confused


def test_web_map_pdf_map_and_swatches_use_one_palette():
    assert status_map.BASE_COLOUR == static_map.BACKGROUND_FILL == NOT_LISTED_COLOUR
    css = CSS.read_text()
    for status, colour in COLOURS.items():
        rule = re.search(rf"\.app-status__swatch--{status} {{ background-color: (#\w+); }}", css)
        assert rule and rule.group(1).upper() == colour.upper(), status
    base = build([row("XKX")])["data"][0]
    assert base["colorscale"][0][1] == NOT_LISTED_COLOUR
    assert base["name"] == "Not in this scheme"
    rule = re.search(r"\.app-status__swatch--not-listed { background-color: (#\w+);", css)
    assert rule and rule.group(1).upper() == NOT_LISTED_COLOUR.upper()


def test_the_balkans_view_names_every_country_on_the_list():
    rows = [row("XKX"), row("SRB", label_longitude=20.8, label_latitude=44.0)]
    names = [t for t in build(rows)["data"] if t.get("mode") == "text"]
    assert len(names) == 1
    assert names[0]["text"] == ["Kosovo", "Serbia"]
    assert names[0]["lon"] == [20.9, 20.8] and names[0]["hoverinfo"] == "skip"


def test_names_are_escaped_for_plotly():
    rows = [row("XKX", country_name="<b>Kosovo</b> & co")]
    names = next(t for t in build(rows)["data"] if t.get("mode") == "text")
    assert names["text"] == ["&lt;b&gt;Kosovo&lt;/b&gt; &amp; co"]


def test_the_selected_country_is_outlined_and_none_when_nothing_is_selected():
    figure = build([row("XKX"), row("SRB")], selected="XKX")
    outline = next(t for t in figure["data"] if t.get("uid") == SELECTED_UID)
    assert outline["locations"] == ["XKX"]
    assert outline["marker"]["line"]["width"] >= 3
    assert outline["colorscale"][0][1] == "rgba(0,0,0,0)" and outline["hoverinfo"] == "skip"
    nothing = next(t for t in build([row("XKX")])["data"] if t.get("uid") == SELECTED_UID)
    assert nothing["locations"] == []


def test_rwanda_gets_a_marker_in_its_status_colour_in_the_europe_and_africa_view():
    rwanda = row(
        "RWA",
        Status.REJECTED,
        country_name="Rwanda",
        country_slug="rwanda",
        label_longitude=29.9,
        label_latitude=-2.0,
    )
    uganda = row("UGA", Status.OPEN, label_longitude=32.4, label_latitude=1.3)
    kosovo = row("XKX")
    data = build([rwanda, uganda, kosovo], view=WORLD)["data"]
    marker = next(t for t in data if t.get("mode") == "markers+text")
    assert marker["text"] == ["Rwanda"]
    assert marker["marker"]["color"] == [COLOURS[Status.REJECTED]]
    assert marker["customdata"] == ["rwanda"]  # clicking it opens Rwanda's panel
    assert marker["marker"]["size"] >= 12
    names = next(t for t in data if t.get("mode") == "text")
    assert names["text"] == ["Uganda"]  # Kosovo is named in the Balkans view, not here
