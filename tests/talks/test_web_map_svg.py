"""The map's first view: the Plotly figure drawn by the server as SVG, in Plotly's own frame."""

import datetime
import gzip
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from countries.geography import BALKANS, FRAMES, WORLD, FramedProjection
from talks.documents.static_map import render_web_map
from talks.rules.statuses import COLOURS, Status
from talks.selectors.status_map import geojson_codes
from tests.factories import CandidacyFactory, SchemeFactory, add_event
from tests.talks.test_maps import ROUTE, build, row

SVG = "{http://www.w3.org/2000/svg}"
PANEL = "/map/countries/COUNTRY/?date=2025-12-01&view=balkans"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def links(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("data-country"): a for a in root.iter(f"{SVG}a")}


def frame(view: str) -> FramedProjection:
    f = FRAMES[view]
    return FramedProjection(f["projection"], f["rotation"], f["lon"], f["lat"], f["height"])


@pytest.mark.parametrize(
    ("view", "where", "expected"),
    [
        # Where Plotly 4.1.1 draws these points, as fractions of its frame (measured in Chromium).
        (BALKANS, (9.0, 37.3), (0.0, 0.9748)),
        (BALKANS, (21.0, 42.0), (0.5, 0.5898)),
        (BALKANS, (0.0, 50.0), (-0.3751, -0.1379)),
        (WORLD, (9.0, 37.3), (0.3728, 0.2515)),
        (WORLD, (65.0, 62.0), (0.8619, 0.0095)),
        (WORLD, (-25.0, -36.0), (0.019, 0.9999)),
    ],
)
def test_the_projection_puts_places_where_plotly_draws_them(view, where, expected):
    projection = frame(view)
    left, top, width, height = projection.box
    x, y = projection.point(*where)
    assert (x - left) / width == pytest.approx(expected[0], abs=0.002)
    assert (y - top) / height == pytest.approx(expected[1], abs=0.002)


def test_the_frames_have_plotlys_shape():
    for view, aspect in ((BALKANS, 0.66116), (WORLD, 1.26369)):
        _left, _top, width, height = frame(view).box
        assert height / width == pytest.approx(aspect, abs=0.002)


def test_kosovo_is_its_own_country_with_its_own_colour_and_link():
    figure = build([row("XKX", Status.EXPLORATORY), row("SRB", Status.REJECTED)])
    root = parse(render_web_map(figure, panel_url=PANEL, label="Map"))
    found = links(root)
    assert set(found) == {"xkx", "srb"}
    kosovo = found["xkx"].find(f"{SVG}path")
    serbia = found["srb"].find(f"{SVG}path")
    assert kosovo.get("data-code") == "XKX" and kosovo.get("fill") == COLOURS[Status.EXPLORATORY]
    assert serbia.get("fill") == COLOURS[Status.REJECTED]
    assert kosovo.get("d") and kosovo.get("d") != serbia.get("d")
    assert found["xkx"].get("href") == "/map/countries/xkx/?date=2025-12-01&view=balkans"
    assert found["xkx"].get("aria-label") == "Kosovo: Exploratory talks"


def test_names_hover_text_and_links_are_escaped():
    evil = '<script>alert("x")</script> & co'
    figure = build([row("XKX", country_name=evil, country_slug='a"b', last_event_title=evil)])
    svg = render_web_map(figure, panel_url=PANEL, label='Map "of" <it>')
    assert "<script>" not in svg
    root = parse(svg)  # well-formed: nothing broke out of an attribute or element
    link = links(root)['a"b']
    assert link.get("href").startswith("/map/countries/a%22b/")
    assert link.get("aria-label") == f"{evil}: Exploratory talks"
    assert f"Last event: {evil}" in link.find(f"{SVG}title").text
    names = [t.text for t in root.iter(f"{SVG}text")]
    assert evil in names
    assert root.get("aria-label") == 'Map "of" <it>'


def test_the_selected_country_is_outlined_with_its_own_shape():
    figure = build([row("XKX"), row("SRB")], selected="XKX")
    root = parse(render_web_map(figure, panel_url=PANEL, label="Map"))
    outline = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "app-map__selected")
    assert outline.get("d") == links(root)["xkx"].find(f"{SVG}path").get("d")
    nothing = parse(render_web_map(build([row("XKX")]), panel_url=PANEL, label="Map"))
    empty = next(p for p in nothing.iter(f"{SVG}path") if p.get("class") == "app-map__selected")
    assert empty.get("d") == ""


def test_the_view_box_is_plotlys_frame_and_a_phone_gets_the_closer_one():
    root = parse(render_web_map(build([row("XKX")]), panel_url=PANEL, label="Map"))
    assert root.get("viewBox") == " ".join(f"{v:g}" for v in frame(BALKANS).box)
    assert root.get("data-narrow-box") != root.get("viewBox")
    assert root.get("data-narrow-below") == "600"
    world = parse(render_web_map(build([row("XKX")], WORLD), panel_url=PANEL, label="Map"))
    assert world.get("data-narrow-box") == world.get("viewBox")


def test_the_route_and_small_countries_are_drawn_in_the_europe_and_africa_view():
    rwanda = row(
        "RWA",
        Status.ENDED,
        country_name="Rwanda",
        country_slug="rwanda",
        label_longitude=29.9,
        label_latitude=-2.0,
    )
    root = parse(render_web_map(build([rwanda], WORLD), panel_url=PANEL, label="Map"))
    shape, link = [a for a in root.iter(f"{SVG}a") if a.get("data-country") == "rwanda"]
    assert shape.get("tabindex") == "-1" and shape.get("aria-hidden") == "true"  # one tab stop
    assert link.get("tabindex") is None
    marker = next(p for p in link.iter(f"{SVG}path") if p.get("class") == "app-map__marker")
    assert marker.get("stroke") == COLOURS[Status.ENDED]
    assert [t.text for t in link.iter(f"{SVG}text")] == ["Rwanda"]
    route = [g for g in root.iter(f"{SVG}g") if g.get("class") == "app-map__route"]
    assert len(route) == 1 and len(ROUTE.waypoints) == 3


@pytest.mark.django_db
def test_the_dashboard_shows_the_svg_map_with_links_that_work_without_javascript(
    client, viewer, cleared_analyst
):
    scheme = SchemeFactory(slug="uk-return-hubs-2025", name="UK return hubs (2025)")
    kosovo = CandidacyFactory(
        scheme=scheme, country__name="Kosovo", country__code="XKX", country__slug="kosovo"
    )
    serbia = CandidacyFactory(
        scheme=scheme,
        country__name='Serbia <b>"&',
        country__code="SRB",
        country__slug="serbia",
    )
    day = datetime.date(2025, 5, 16)
    add_event(kosovo, cleared_analyst, occurred_on=day, new_status=Status.OPEN, title="<i>x</i>")
    add_event(serbia, cleared_analyst, occurred_on=day, new_status=Status.REJECTED, title="No")
    client.force_login(viewer)
    response = client.get(reverse("dashboard"), {"date": "2025-12-01", "country": "kosovo"})
    page = response.content.decode()
    start = page.index('<svg id="status-map-svg"')
    root = parse(page[start : page.index("</svg>", start) + len("</svg>")])
    found = links(root)
    assert set(found) == {"kosovo", "serbia"}
    assert found["kosovo"].find(f"{SVG}path").get("fill") == COLOURS[Status.OPEN]
    assert found["serbia"].get("aria-label") == 'Serbia <b>"&: Rejected'
    assert "<i>x</i>" not in page and "&lt;i&gt;x&lt;/i&gt;" in page
    outline = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "app-map__selected")
    assert outline.get("d") == found["kosovo"].find(f"{SVG}path").get("d")
    # Without JavaScript a country's link loads the page with its panel open.
    panel = client.get(found["serbia"].get("href"))
    assert panel.status_code == 302
    opened = client.get(panel["Location"])
    assert 'data-country-code="SRB"' in opened.content.decode()


@pytest.mark.parametrize("view", [BALKANS, WORLD])
def test_the_first_view_stays_small_its_shapes_cut_to_the_frame(view):
    rows = [row(code) for code in ("XKX", "SRB", "ALB", "MNE", "MKD", "BIH")]
    figure = build(rows, view, base_codes=geojson_codes())
    svg = render_web_map(figure, panel_url=PANEL, label="Map")
    assert len(gzip.compress(svg.encode())) < 15_000  # the page's map, compressed
    left, top, width, height = frame(view).box
    for path in parse(svg).iter(f"{SVG}path"):
        start = re.match(r"M(-?\d+),(-?\d+)", path.get("d") or "")
        if start and path.get("class") is None and not path.get("data-code"):
            x, y = int(start[1]), int(start[2])  # every grey shape starts near the frame
            assert left - 10 <= x <= left + width + 10 and top - 10 <= y <= top + height + 10
