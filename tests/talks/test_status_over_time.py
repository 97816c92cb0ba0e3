"""Status over time: the scheme chart, the country strips and the briefing chart."""

import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from talks.documents.briefings import render_docx, render_pdf
from talks.documents.status_chart import render_status_over_time
from talks.models import Candidacy, Classification, Scheme, TalkEvent
from talks.rules.statuses import COLOURS, Status
from talks.selectors.briefings import BriefingRequest, build_briefing
from talks.selectors.status import status_events, status_on
from talks.selectors.status_over_time import (
    CHART_PLACES,
    DRAWN_PLACES,
    LATEST_CHANGES,
    country_status_strips,
    plotly_figure,
    scheme_status_over_time,
)
from talks.services.events import refresh_cached_status
from tests.factories import CandidacyFactory, add_event
from tests.talks.page_data import load_demo

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)
UK = "uk-return-hubs-2025"


@pytest.fixture
def demo(cleared_analyst):
    return load_demo(cleared_analyst)


def chart_for(user, slug=UK, until=TODAY):
    return scheme_status_over_time(user=user, scheme=Scheme.objects.get(slug=slug), until=until)


# -- Chart data -------------------------------------------------------------------------------


def test_lanes_give_each_country_its_statuses_in_order(demo):
    lanes = {lane.country_name: lane for lane in chart_for(demo).lanes}
    assert list(lanes) == sorted(lanes)
    montenegro = [(s.status, s.start, s.end) for s in lanes["Montenegro"].segments]
    assert montenegro == [
        (Status.OPEN, datetime.date(2025, 10, 21), datetime.date(2025, 10, 27)),
        (Status.REJECTED, datetime.date(2025, 10, 27), TODAY),
    ]
    kosovo = [s.status for s in lanes["Kosovo"].segments]
    assert kosovo == [Status.OPEN, Status.EXPLORATORY, Status.NEGOTIATING]
    assert any(
        "Government: Montenegro will not accept" in m.title for m in lanes["Montenegro"].marks
    )


def test_every_day_of_every_lane_agrees_with_the_status_rule(demo, viewer, cleared_analyst):
    for user, sensitive in ((viewer, False), (cleared_analyst, True)):
        chart = chart_for(user)
        candidacies = {
            c.country.name: c
            for c in Candidacy.objects.filter(scheme__slug=UK).select_related("country")
        }
        for lane in chart.lanes:
            candidacy = candidacies[lane.country_name]
            for segment in lane.segments:
                for day in (segment.start, segment.end - datetime.timedelta(days=1)):
                    rule = status_on(candidacy=candidacy, on=day, include_sensitive=sensitive)
                    assert rule.status == segment.status, (lane.country_name, day)
            before = lane.segments[0].start - datetime.timedelta(days=1)
            assert not status_on(candidacy=candidacy, on=before, include_sensitive=sensitive).status


def test_plotly_figure_has_one_trace_per_status_and_event_hover_text(demo):
    figure = plotly_figure(chart_for(demo))
    statuses = [t for t in figure["data"] if t.get("fill") == "toself"]
    assert [t["fillcolor"] for t in statuses] == [
        COLOURS[s] for s in (Status.SHORTLISTED, Status.OPEN, Status.EXPLORATORY,
                             Status.NEGOTIATING, Status.REJECTED)
    ]  # fmt: skip
    marks = next(t for t in figure["data"] if t["mode"] == "markers")
    assert "Montenegro: 27 October 2025: Government: Montenegro will not accept" in " ".join(
        marks["hovertext"]
    )
    assert figure["layout"]["yaxis"]["ticktext"][0] == "Albania"
    json.dumps(figure)  # plain JSON for json_script


# -- A long history: folded by the database, bounded -------------------------------------------


def _long_history(changes: int) -> Candidacy:
    """A candidacy whose status changes `changes` times or so over eleven years: some days with
    two events (the later one wins), some repeating the status before (no change), some
    OFFICIAL-SENSITIVE."""
    candidacy = CandidacyFactory(country__name="Busyland", country__slug="busyland")
    cycle = [Status.OPEN, Status.EXPLORATORY, Status.NEGOTIATING, Status.SUSPENDED]
    first = datetime.date(2015, 1, 1)
    events = []
    for n in range(changes):
        day = first + datetime.timedelta(days=n * 4000 // changes)
        classification = (
            Classification.OFFICIAL_SENSITIVE if n % 7 == 3 else Classification.OFFICIAL
        )
        for status in (cycle[(n + 1) % 4], cycle[n % 4]) if n % 5 == 0 else (cycle[n % 4],):
            events.append(
                TalkEvent(
                    scheme=candidacy.scheme,
                    candidacy=candidacy,
                    occurred_on=day,
                    kind="statement",
                    title=f"Change {n}",
                    new_status=Status.OPEN if n % 11 == 10 else status,
                    classification=classification,
                )
            )
    TalkEvent.objects.bulk_create(events)
    refresh_cached_status(candidacy)
    return candidacy


def _rule_changes(candidacy, *, sensitive, until):
    """The status rule's changes worked out in Python, the way the lanes were before the
    database folded them: the last event of each day wins, equal neighbours merge."""
    rows = status_events(include_sensitive=sensitive).filter(
        candidacy=candidacy, occurred_on__lte=until
    )
    by_day = {}
    for day, status in rows.order_by("occurred_on", "id").values_list("occurred_on", "new_status"):
        by_day[day] = status
    changes = []
    for day in sorted(by_day):
        if not changes or changes[-1][1] != by_day[day]:
            changes.append((day, by_day[day]))
    return changes


def _at_resolution(changes, *, start, end, places):
    """Where several changes fall in one place the last stands for them; equal neighbours
    merge; each runs until the next, the last until `end`."""
    if len(changes) > places:
        span = max((end - start).days, 1)
        kept, kept_place = [], -1
        for day, status in changes:
            place = (day - start).days * places // span
            if kept and place == kept_place:
                kept[-1] = (day, status)
            else:
                kept.append((day, status))
                kept_place = place
        changes = [c for i, c in enumerate(kept) if i == 0 or kept[i - 1][1] != c[1]]
    ends = [day for day, _ in changes[1:]] + [end]
    return [(status, day, until) for (day, status), until in zip(changes, ends, strict=True)]


@pytest.mark.parametrize("cleared", [False, True])
def test_a_long_history_is_folded_to_what_the_drawing_can_show(viewer, cleared_analyst, cleared):
    user = cleared_analyst if cleared else viewer
    candidacy = _long_history(900)
    changes = _rule_changes(candidacy, sensitive=cleared, until=TODAY)
    assert len(changes) > DRAWN_PLACES  # more than either drawing can show
    chart = chart_for(user, slug=candidacy.scheme.slug)
    (lane,) = chart.lanes
    drawn = [(s.status, s.start, s.end) for s in lane.segments]
    assert drawn == _at_resolution(changes, start=chart.start, end=TODAY, places=CHART_PLACES)
    assert len(drawn) <= CHART_PLACES
    assert lane.earlier + len(lane.latest) == len(changes)
    latest = [(s.status, s.start, s.end) for s in lane.latest]
    assert (
        latest
        == _at_resolution(changes, start=chart.start, end=TODAY, places=10**6)[-LATEST_CHANGES:]
    )
    assert len(lane.marks) == 30  # its latest events (Change 899 is OFFICIAL-SENSITIVE)
    assert lane.marks[-1].title == ("Change 899" if cleared else "Change 898")
    strips = country_status_strips(user=user, country=candidacy.country, until=TODAY)
    ((_, strip),) = strips.strips
    assert [(s.status, s.start, s.end) for s in strip.segments] == _at_resolution(
        changes, start=strips.start, end=TODAY, places=DRAWN_PLACES
    )


def test_a_long_history_gives_a_bounded_table_and_the_way_to_the_rest(client, viewer):
    candidacy = _long_history(900)
    client.force_login(viewer)
    html = client.get(reverse("scheme_detail", args=[candidacy.scheme.slug])).content.decode()
    section = _chart_parts(html)
    earlier = len(_rule_changes(candidacy, sensitive=False, until=TODAY)) - LATEST_CHANGES
    assert f"{earlier:,} earlier changes" in section
    assert f"?scheme={candidacy.scheme.slug}&amp;country=busyland" in section
    assert section.count("<tr") == 1 + 1 + LATEST_CHANGES  # heading, earlier, latest
    assert len(html) < 150_000
    html = client.get(reverse("country_detail", args=["busyland"])).content.decode()
    strips = _strip_parts(html)
    assert strips.count("<rect") <= DRAWN_PLACES + 1
    assert f"{earlier + LATEST_CHANGES - 6:,} earlier changes, then" in strips


def test_a_write_shows_at_once_in_the_kept_chart(client, viewer, analyst):
    candidacy = _long_history(50)
    assert chart_for(viewer, slug=candidacy.scheme.slug).lanes[0].latest[-1].status != (
        Status.AGREED
    )
    add_event(candidacy, analyst, occurred_on=TODAY, new_status=Status.AGREED, title="Agreed")
    lane = chart_for(viewer, slug=candidacy.scheme.slug).lanes[0]
    assert lane.latest[-1].status == Status.AGREED and lane.marks[-1].title == "Agreed"


# -- Clearance: an uncleared user's charts do not change when sensitive data exists -----------


def test_sensitive_events_never_change_an_uncleared_users_charts(
    client, demo, viewer, cleared_analyst
):
    serbia = Candidacy.objects.get(scheme__slug=UK, country__code="SRB")

    def seen():
        client.force_login(viewer)
        scheme = client.get(reverse("scheme_detail", args=[UK])).content.decode()
        country = client.get(reverse("country_detail", args=["serbia"])).content.decode()
        return plotly_figure(chart_for(viewer)), _chart_parts(scheme), _strip_parts(country)

    before = seen()
    add_event(
        serbia,
        cleared_analyst,
        occurred_on=datetime.date(2026, 3, 2),
        title="Secret: Serbia agrees in principle",
        new_status=Status.EXPLORATORY,
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    assert seen() == before
    cleared = [s.status for s in _lane(chart_for(cleared_analyst), "Serbia").segments]
    assert cleared == [Status.SHORTLISTED, Status.EXPLORATORY]


def _lane(chart, name):
    return next(lane for lane in chart.lanes if lane.country_name == name)


def _chart_parts(html: str) -> str:
    start = html.index('<section id="status-over-time"')
    return html[start : html.index("</section>", start)]


def _strip_parts(html: str) -> str:
    start = html.index('<ul class="govuk-list app-status-strips"')
    return html[start : html.index("</ul>", start)]


# -- Pages ------------------------------------------------------------------------------------


def test_scheme_page_has_the_chart_its_table_and_the_served_plotly_bundle(client, demo, viewer):
    client.force_login(viewer)
    html = client.get(reverse("scheme_detail", args=[UK])).content.decode()
    section = _chart_parts(html)
    assert '<script id="status-over-time-data" type="application/json">' in section
    assert 'data-figure="status-over-time-data"' in section and 'tabindex="0"' in section
    assert "Status changes by country" in section
    assert re.search(
        r"Montenegro</th>\s*<td[^>]*>.*Open to talks.*</td>\s*<td[^>]*>21 Oct 2025", section, re.S
    )
    assert "/static/vendor/plotly.js-geo-dist-min-4.1.1/plotly-geo.min.js" in html
    assert "/static/js/status-chart.js" in html
    assert "cdn" not in html.lower()


def test_scheme_without_statuses_has_no_chart(client, demo, viewer):
    client.force_login(viewer)
    html = client.get(reverse("scheme_detail", args=["eu-return-hubs-working-group"])).content
    assert b"status-over-time-data" not in html


def test_country_page_has_a_status_strip_per_scheme_with_words(client, demo, viewer):
    client.force_login(viewer)
    html = client.get(reverse("country_detail", args=["kosovo"])).content.decode()
    strips = _strip_parts(html)
    assert strips.count("<svg") == 3
    assert (
        "Open to talks from 16 May 2025, then Exploratory talks from 21 Oct 2025, "
        "then Negotiating from 5 Dec 2025."
    ) in strips
    assert 'role="img"' in strips and "Kosovo in UK return hubs (2025): status over time" in strips
    assert f'fill="{COLOURS[Status.NEGOTIATING]}"' in strips


# -- Briefing ---------------------------------------------------------------------------------


def _briefing(user, sensitive=False):
    request = BriefingRequest(
        schemes=[Scheme.objects.get(slug=UK)],
        as_of=TODAY,
        changes_since=datetime.date(2026, 6, 1),
        include_sensitive=sensitive,
    )
    return build_briefing(request=request, user=user, now=timezone.localtime())


def test_briefing_pdf_and_word_carry_the_status_chart(demo, manager):
    briefing = _briefing(manager)
    svg = render_status_over_time(briefing.schemes[0].status_over_time)
    assert "Montenegro" in svg and f'fill="{COLOURS[Status.REJECTED]}"' in svg
    pdf = PdfReader(io.BytesIO(render_pdf(briefing)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Status over time: one row per country" in text
    document = Document(io.BytesIO(render_docx(briefing)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Status over time" in headings
    descriptions = [
        e.get("descr")
        for e in document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert any(
        d.startswith("Chart of UK return hubs (2025), status over time.") for d in descriptions
    )
    assert any(
        "Montenegro: Open to talks from 21 Oct 2025, then Rejected from 27 Oct 2025" in d
        for d in descriptions
    )


def test_a_candidacy_without_a_status_has_an_empty_lane(client, demo, viewer):
    scheme = Scheme.objects.get(slug="uk-rwanda-partnership")
    from tests.factories import CandidacyFactory

    CandidacyFactory(scheme=scheme, country__name="Nowhereland", country__slug="nowhereland")
    lanes = {lane.country_name: lane for lane in chart_for(viewer, slug=scheme.slug).lanes}
    assert lanes["Nowhereland"].segments == []
    client.force_login(viewer)
    assert client.get(reverse("scheme_detail", args=[scheme.slug])).status_code == 200
    assert client.get(reverse("country_detail", args=["nowhereland"])).status_code == 200


def test_dashboard_shows_the_route_figures_as_bars_with_a_table(client, demo, viewer):
    client.force_login(viewer)
    html = client.get(reverse("dashboard"), {"year": "2025"}).content.decode()
    figure = json.loads(
        re.search(
            r'<script id="route-figures-data" type="application/json">(.*?)</script>', html, re.S
        )[1]
    )
    bars = {round(t["x"][0] + 0.35): (max(t["y"]), t["fillcolor"]) for t in figure["data"]}
    assert bars[2025] == (12_525, "#1D70B8") and bars[2024][0] == 21_000
    assert "Detections by year (Frontex)" in html and "12,525" in html and "about 21,000" in html
    assert 'data-figure="route-figures-data"' in html
