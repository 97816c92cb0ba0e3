"""The status map as data: built from rows, tested without a browser."""

import datetime
import json

import pytest

from countries.geography import BALKANS, WORLD
from countries.routes import RouteData, RouteYear, Waypoint
from talks.models import Classification
from talks.rules.statuses import COLOURS, Status, label
from talks.selectors.dashboard import ShortlistRow, shortlist_rows
from talks.selectors.status_map import (
    FULL_GEOJSON,
    GEOJSON,
    SELECTED_UID,
    build_status_map,
    geojson_codes,
    hover_text,
    map_legend,
)
from tests.factories import CandidacyFactory, add_event

BASE = ("ALB", "BIH", "HRV", "MKD", "MNE", "SRB", "UGA", "XKX")


def row(code: str, status: str = Status.EXPLORATORY, **overrides) -> ShortlistRow:
    values = {
        "candidacy_id": 1,
        "country_name": {"XKX": "Kosovo", "SRB": "Serbia", "UGA": "Uganda"}.get(code, code),
        "country_slug": code.lower(),
        "country_code": code,
        "label_latitude": 42.6,
        "label_longitude": 20.9,
        "status": status,
        "since": datetime.date(2025, 10, 21),
        "since_precision": "day",
        "last_event_title": "Kurti: Kosovo wants to help the UK",
        "last_event_on": datetime.date(2025, 12, 1),
        "last_event_precision": "month",
    }
    values.update(overrides)
    return ShortlistRow(**values)


ROUTE = RouteData(
    name="Western Balkans route",
    slug="western-balkans",
    waypoints=[
        Waypoint("Istanbul", "Turkey", 41.01, 28.98),
        Waypoint("Belgrade", "Serbia", 44.79, 20.45),
        Waypoint("Vienna", "Austria", 48.21, 16.37),
    ],
    figures=[
        RouteYear(
            2023, 99_068, False, "Detections", "Frontex counts detections.", "Frontex", "", ""
        ),
        RouteYear(
            2024, 21_000, True, "Detections", "Frontex counts detections.", "Frontex", "", ""
        ),
    ],
)


def build(rows, view=BALKANS, **kwargs):
    kwargs.setdefault("base_codes", BASE)
    kwargs.setdefault("static_url", "/static/")
    return build_status_map(rows, ROUTE, view, **kwargs)


def choropleths(figure):
    """The grey base layer and the status layers (not the selected country's outline)."""
    return [
        trace
        for trace in figure["data"]
        if trace["type"] == "choropleth" and trace.get("uid") != SELECTED_UID
    ]


def route_of(figure):
    return next(t for t in figure["data"] if t.get("mode") == "lines+markers")


def trace_for(figure, code):
    """The coloured (status) trace that draws `code`, not the grey base layer."""
    return next(t for t in choropleths(figure)[1:] if code in t["locations"])


def test_kosovo_is_drawn_as_its_own_country_and_coloured_by_its_status():
    figure = build([row("XKX", Status.EXPLORATORY), row("SRB", Status.SHORTLISTED)])
    kosovo = trace_for(figure, "XKX")
    assert kosovo["featureidkey"] == "properties.a3"
    assert kosovo["colorscale"] == [
        [0, COLOURS[Status.EXPLORATORY]],
        [1, COLOURS[Status.EXPLORATORY]],
    ]
    assert kosovo["name"] == "Exploratory talks"
    assert "XKX" not in trace_for(figure, "SRB")["locations"]


def test_every_status_is_its_own_legend_entry_named_in_words():
    figure = build([row("XKX", Status.EXPLORATORY), row("ALB", Status.REJECTED), row("MNE", "")])
    names = [t["name"] for t in choropleths(figure)[1:]]
    assert names == ["Exploratory talks", "Rejected", "No status recorded"]
    assert figure["layout"]["showlegend"] is False  # the page's own legend, under the map
    assert map_legend(figure) == [
        {"key": "exploratory", "label": "Exploratory talks"},
        {"key": "rejected", "label": "Rejected"},
        {"key": "none", "label": "No status recorded"},
        {"key": "not-listed", "label": "Not in this scheme"},
        {"key": "route", "label": "Western Balkans route"},
    ]


def test_the_legend_names_the_route_with_its_figure():
    legend = map_legend(build([row("XKX")], route_year=2023))
    assert legend[-1] == {
        "key": "route",
        "label": "Western Balkans route: 99,068 detections in 2023",
    }


def test_a_grey_base_layer_draws_every_country_and_plotly_shapes_are_off():
    figure = build([row("XKX")])
    base = choropleths(figure)[0]
    assert base["locations"] == list(BASE)
    assert base["hoverinfo"] == "skip"
    assert base["name"] == "Not in this scheme"
    geo = figure["layout"]["geo"]
    assert geo["visible"] is False


def test_the_map_reads_the_apps_own_geojson():
    figure = build([row("XKX")])
    assert {t["geojson"] for t in choropleths(figure)} == {"/static/" + GEOJSON}


def test_a_country_missing_from_the_small_file_switches_to_the_full_one():
    figure = build([row("XKX"), row("PRY")])
    assert {t["geojson"] for t in choropleths(figure)} == {"/static/" + FULL_GEOJSON}


def test_the_route_is_a_line_over_the_map_named_with_the_chosen_years_figure():
    figure = build([row("XKX")], route_year=2023)
    route = route_of(figure)
    assert route["type"] == "scattergeo"
    assert route["mode"] == "lines+markers"
    assert route["lon"] == [28.98, 20.45, 16.37]
    assert route["lat"] == [41.01, 44.79, 48.21]
    assert route["name"] == "Western Balkans route: 99,068 detections in 2023"
    assert route_of(build([row("XKX")], route_year=2024))["name"].endswith(
        "about 21,000 detections in 2024"
    )


def test_no_route_line_without_waypoints():
    figure = build_status_map([row("XKX")], None, base_codes=BASE, static_url="/static/")
    assert not [t for t in figure["data"] if t.get("mode") == "lines+markers"]


def test_hover_shows_country_status_since_and_last_event():
    text = hover_text(row("XKX"))
    assert text == (
        "<b>Kosovo</b><br>Exploratory talks<br>Since 21 October 2025"
        "<br>Last event: Kurti: Kosovo wants to help the UK (December 2025)"
    )
    assert trace_for(build([row("XKX")]), "XKX")["text"] == [text]


def test_hover_escapes_markup_in_titles():
    text = hover_text(row("XKX", last_event_title="<img src=x onerror=alert(1)> & more"))
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; more" in text


def test_hover_says_when_nothing_happened_yet():
    text = hover_text(row("XKX", status="", since=None, last_event_title="", last_event_on=None))
    assert text == "<b>Kosovo</b><br>No status recorded<br>No events recorded by this date"


def test_clicks_carry_the_country_slug():
    assert trace_for(build([row("XKX")]), "XKX")["customdata"] == ["xkx"]


def test_balkans_view_frames_the_western_balkans():
    geo = build([row("XKX")])["layout"]["geo"]
    lon, lat = geo["lonaxis"]["range"], geo["lataxis"]["range"]
    assert lon[0] < 19 < 23 < lon[1]  # Albania to Bulgaria's border
    assert lat[0] < 40 < 47 < lat[1]


def test_world_view_takes_in_countries_elsewhere():
    uganda = row("UGA", label_latitude=1.4, label_longitude=32.3)
    far = row("XKX", label_latitude=10.0, label_longitude=100.0)
    geo = build([uganda, far], WORLD)["layout"]["geo"]
    assert geo["lonaxis"]["range"][0] < 32.3 < 100 < geo["lonaxis"]["range"][1]
    assert geo["lataxis"]["range"][0] < 1.4


def test_an_unknown_view_falls_back_to_the_balkans():
    assert build([row("XKX")], "moon")["layout"] == build([row("XKX")], BALKANS)["layout"]


def test_the_figure_is_plain_json():
    figure = build([row("XKX")])
    assert json.loads(json.dumps(figure)) == figure
    assert figure["config"]["displaylogo"] is False


def test_the_committed_map_file_has_kosovo_and_the_countries_we_show():
    codes = set(geojson_codes())
    assert {"XKX", "SRB", "MKD", "BIH", "ALB", "MNE", "HRV", "GRC", "UGA", "RWA"} <= codes


@pytest.mark.django_db
def test_no_sensitive_event_reaches_a_viewers_figure(viewer, cleared_analyst):
    kosovo = CandidacyFactory(country__name="Kosovo", country__code="XKX", country__slug="kosovo")
    add_event(kosovo, cleared_analyst, new_status=Status.OPEN, title="Osmani is open to talks")
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=datetime.date(2025, 6, 1),
        new_status=Status.NEGOTIATING,
        title="Secret round of formal talks",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    as_of = datetime.date(2025, 7, 1)

    def figure_for(user):
        rows = shortlist_rows(scheme=kosovo.scheme, as_of=as_of, user=user)
        return json.dumps(build_status_map(rows, None, base_codes=BASE, static_url="/static/"))

    for_viewer = figure_for(viewer)
    assert "Secret round" not in for_viewer
    assert label(Status.NEGOTIATING) not in for_viewer
    assert "Open to talks" in for_viewer
    assert "Since 16 May 2025" in for_viewer
    assert "Secret round of formal talks" in figure_for(cleared_analyst)
