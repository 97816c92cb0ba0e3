"""Reads: each candidacy's status over time, for the status charts and their tables.

The lanes come from the one status rule (`talks.selectors.status`): the status on a day is the
one set by the latest effective status-carrying event on or before it, among the events the
user may see. A lane is that rule evaluated at every change, so its segments are exactly what
`status_on` answers for any day inside them.

The pages draw lanes at the resolution they are shown at (`drawn_lanes`): the database folds the
changes, so a lane is at most a drawing's width of segments, its latest changes and a count, however
long the history (docs/decisions/0013); printed briefings draw them the same way.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Subquery

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from countries.models import Country
from talks import access
from talks.models import Candidacy, Person, Scheme
from talks.rules.dates import date_label, short_date_label
from talks.rules.statuses import COLOURS, label
from talks.selectors.kept import kept
from talks.selectors.kept import key as kept_key
from talks.selectors.status import status_events


@dataclass(frozen=True)
class Segment:
    """A stretch of time with one status: from `start` up to (not including) `end`."""

    status: str
    start: datetime.date
    end: datetime.date
    start_precision: str
    is_sensitive: bool = False

    @property
    def label(self) -> str:
        return label(self.status)

    @property
    def colour(self) -> str:
        return COLOURS[self.status]

    @property
    def since_label(self) -> str:
        return short_date_label(self.start, self.start_precision)


@dataclass(frozen=True)
class Mark:
    """An event on a lane: when, what, and the status it set (if any)."""

    day: datetime.date
    precision: str
    title: str
    kind: str
    new_status: str
    is_sensitive: bool

    @property
    def date_label(self) -> str:
        return date_label(self.day, self.precision)

    @property
    def hover_text(self) -> str:
        status = f" (status: {label(self.new_status)})" if self.new_status else ""
        return f"{self.date_label}: {self.title}{status}"


@dataclass(frozen=True)
class Lane:
    country_name: str
    country_slug: str
    segments: list[Segment]
    marks: list[Mark] = field(default_factory=list)
    # A drawn lane (`drawn_lanes`) also names its latest changes exactly, and how many came
    # before them; its `segments` are what its drawing's width can show.
    latest: list[Segment] = field(default_factory=list)
    earlier: int = 0

    @property
    def current(self) -> Segment | None:
        return self.segments[-1] if self.segments else None

    @property
    def earlier_rows(self) -> int:
        """The row a table of the latest changes gives to the earlier ones (if any)."""
        return 1 if self.earlier else 0


@dataclass(frozen=True)
class StatusOverTime:
    title: str
    start: datetime.date
    end: datetime.date
    lanes: list[Lane]

    @property
    def is_sensitive(self) -> bool:
        """True when a segment or a mark comes from an OFFICIAL-SENSITIVE event."""
        return any(s.is_sensitive for lane in self.lanes for s in lane.segments) or any(
            m.is_sensitive for lane in self.lanes for m in lane.marks
        )

    @property
    def statuses(self) -> list[str]:
        """The statuses the chart uses, in the vocabulary's order (for its legend)."""
        seen = {s.status for lane in self.lanes for s in lane.segments}
        return [status for status in COLOURS if status in seen]


def status_over_time(*, scheme: Scheme, lanes: list[Lane], until: datetime.date) -> StatusOverTime:
    """The chart of `lanes`, from the first status or event to `until`."""
    starts = [lane.segments[0].start for lane in lanes if lane.segments]
    starts += [mark.day for lane in lanes for mark in lane.marks]
    start = min(starts, default=until).replace(month=1, day=1)  # charts begin with a year
    return StatusOverTime(
        title=f"{scheme.name}: status over time", start=start, end=until, lanes=lanes
    )


# --- Lanes drawn at a resolution, folded by the database -----------------------------------------

# A drawing's width in places (a country strip's: one per SVG unit; the scheme chart's: a few
# pixels each, which keeps its figure small): a lane has at most this many segments, however
# long its history.
DRAWN_PLACES = 600
CHART_PLACES = 120
# The latest changes a lane names exactly (the table under the chart, a strip's words).
LATEST_CHANGES = 10
# The latest events a scheme chart marks on each lane.
MARKS_PER_LANE = 30

# The status rule's changes, folded in SQL over the events it reads (`%(events)s`: candidacy_id,
# occurred_on, id, new_status, precision, classification): on each day the last event (by id)
# wins, a day whose status equals the day before is no change. Of the changes, a lane keeps each
# place's last one (the status the place ends with) when it has more changes than places, all of
# them otherwise, and its latest few whatever their place; `total` counts them all.
_FOLD = """
WITH rule AS ({events}),
daily AS (
    SELECT candidacy_id, occurred_on, new_status, "precision", classification,
           ROW_NUMBER() OVER (PARTITION BY candidacy_id, occurred_on ORDER BY id DESC) AS nth
    FROM rule
),
days AS (
    SELECT candidacy_id, occurred_on, new_status, "precision", classification,
           LAG(new_status) OVER (PARTITION BY candidacy_id ORDER BY occurred_on) AS status_before
    FROM daily WHERE nth = 1
),
changes AS (
    SELECT candidacy_id, occurred_on, new_status, "precision", classification,
           {place} * %s / %s AS place,
           COUNT(*) OVER (PARTITION BY candidacy_id) AS total,
           ROW_NUMBER() OVER (PARTITION BY candidacy_id ORDER BY occurred_on DESC) AS from_end
    FROM days WHERE status_before IS NULL OR status_before <> new_status
),
placed AS (
    SELECT changes.*, ROW_NUMBER() OVER (
               PARTITION BY candidacy_id, place ORDER BY occurred_on DESC
           ) AS in_place
    FROM changes
)
SELECT candidacy_id, occurred_on, new_status, "precision", classification, total, from_end,
       CASE WHEN total <= %s OR in_place = 1 THEN 1 ELSE 0 END AS drawn
FROM placed
WHERE total <= %s OR in_place = 1 OR from_end <= %s
ORDER BY candidacy_id, occurred_on
"""


def _days_since(start: datetime.date) -> tuple[str, list[Any]]:
    """SQL for the whole days from `start` to an event's date."""
    if connection.vendor == "postgresql":
        return "(occurred_on - %s::date)", [start]
    return "CAST(julianday(occurred_on) - julianday(%s) AS INTEGER)", [start.isoformat()]


@dataclass(frozen=True)
class _Folded:
    drawn: list[Segment]
    latest: list[Segment]
    total: int


def _with_ends(changes: list[Segment], until: datetime.date) -> list[Segment]:
    """Each change runs until the next one; the last until `until`."""
    ends = [change.start for change in changes[1:]] + [until] if changes else []
    return [
        Segment(c.status, c.start, end, c.start_precision, c.is_sensitive)
        for c, end in zip(changes, ends, strict=True)
    ]


def _fold(
    *, ids: list[int], sensitive: bool, start: datetime.date, until: datetime.date, places: int
) -> dict[int, _Folded]:
    """Each lane's drawn segments, its latest changes and how many changes it has (one query,
    at most `places` + LATEST_CHANGES rows a lane)."""
    events = (
        status_events(include_sensitive=sensitive)
        .filter(candidacy_id__in=ids, occurred_on__lte=until)
        .order_by()
        .values("candidacy_id", "occurred_on", "id", "new_status", "precision", "classification")
    )
    events_sql, events_params = events.query.sql_with_params()
    place, place_params = _days_since(start)
    span = max((until - start).days, 1)
    sql = _FOLD.format(events=events_sql, place=place)
    params = [*events_params, *place_params, places, span, places, places, LATEST_CHANGES]
    drawn: dict[int, list[Segment]] = {pk: [] for pk in ids}
    latest: dict[int, list[Segment]] = {pk: [] for pk in ids}
    totals: dict[int, int] = dict.fromkeys(ids, 0)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, day, status, precision, classification, total, from_end, kept in cursor:
            day = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)
            sensitive_change = access.is_sensitive_classification(classification)
            change = Segment(status, day, day, precision, sensitive_change)
            totals[pk] = total
            if kept and not (drawn[pk] and drawn[pk][-1].status == status):
                drawn[pk].append(change)  # equal neighbours merge
            if from_end <= LATEST_CHANGES:
                latest[pk].append(change)
    return {
        pk: _Folded(_with_ends(drawn[pk], until), _with_ends(latest[pk], until), totals[pk])
        for pk in ids
    }


class LaneFields(TypedDict):
    """What `_lane_candidacies` adds to each candidacy."""

    first_status_on: datetime.date | None
    first_event_on: datetime.date | None
    seen_version: int


def _lane_candidacies(
    candidacies: QuerySet[Candidacy], *, user: Person, until: datetime.date
) -> "list[WithAnnotations[Candidacy, LaneFields]]":
    """Each candidacy with the day of its first status (`first_status_on`) and of its first
    event (`first_event_on`) that `user` may see up to `until` (index lookups, no scan), and
    the version that grows with every write `user` can see (`seen_version`)."""
    sensitive = access.sees_sensitive(user)
    statuses = status_events(include_sensitive=sensitive).filter(
        candidacy=OuterRef("pk"), occurred_on__lte=until
    )
    events = access.visible_events(user).effective()
    events = events.filter(candidacy=OuterRef("pk"), occurred_on__lte=until)
    return list(
        candidacies.annotate(
            first_status_on=Subquery(statuses.order_by("occurred_on").values("occurred_on")[:1]),
            first_event_on=Subquery(events.order_by("occurred_on").values("occurred_on")[:1]),
            seen_version=F(access.version_field(user)),
        )
    )


def _latest_marks(
    *, ids: list[int], sensitive: bool, until: datetime.date, per_lane: int
) -> dict[int, list[Mark]]:
    """Each lane's latest `per_lane` events, oldest first (one query: each lane's own newest
    rows, read backwards along its date index, joined)."""
    marks: dict[int, list[Mark]] = {pk: [] for pk in ids}
    visible = access.events_in(access.FULL if sensitive else access.OFFICIAL).effective()
    fields = ("candidacy_id", "occurred_on", "id", "precision", "title", "kind", "new_status")
    parts, params = [], []
    for n, pk in enumerate(ids):
        newest = visible.filter(candidacy_id=pk, occurred_on__lte=until).order_by(
            "-occurred_on", "-id"
        )
        part_sql, part_params = newest.values(*fields, "classification")[
            :per_lane
        ].query.sql_with_params()
        parts.append(f"SELECT * FROM ({part_sql}) AS lane{n}")
        params += part_params
    sql = " UNION ALL ".join(parts) + " ORDER BY 1, 2, 3"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, day, _id, precision, title, kind, new_status, classification in cursor:
            day = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)
            marks[pk].append(
                Mark(
                    day=day,
                    precision=precision,
                    title=title,
                    kind=kind,
                    new_status=new_status,
                    is_sensitive=classification != "official",
                )
            )
    return marks


def drawn_lanes(
    *,
    candidacies: Sequence[Candidacy],
    sensitive: bool,
    until: datetime.date,
    start: datetime.date,
    places: int = DRAWN_PLACES,
    marks_per_lane: int = 0,
) -> list[Lane]:
    """One lane per candidacy as a drawing `places` wide from `start` to `until` shows it:
    where several changes fall in one place, the last of them (the status the place ends with)
    stands for them, and equal neighbours merge; each lane also names its LATEST_CHANGES latest
    changes exactly and how many came before. Bounded whatever the history's length: the folding
    is done by the database (one query), the marks are each lane's latest `marks_per_lane`
    events (one query more)."""
    ids = [c.pk for c in candidacies]
    if not ids:
        return []
    folded = _fold(ids=ids, sensitive=sensitive, start=start, until=until, places=places)
    marks = (
        _latest_marks(ids=ids, sensitive=sensitive, until=until, per_lane=marks_per_lane)
        if marks_per_lane
        else {}
    )
    return [
        Lane(
            country_name=c.country.name,
            country_slug=c.country.slug,
            segments=folded[c.pk].drawn,
            marks=marks.get(c.pk, []),
            latest=folded[c.pk].latest,
            earlier=folded[c.pk].total - len(folded[c.pk].latest),
        )
        for c in candidacies
    ]


def _chart_start(days: list[datetime.date | None], until: datetime.date) -> datetime.date:
    """Charts begin with the year of the earliest of `days`."""
    return min((day for day in days if day), default=until).replace(month=1, day=1)


def scheme_status_over_time(
    *, user: Person, scheme: Scheme, until: datetime.date
) -> StatusOverTime:
    """Each candidacy of `scheme`, one lane per country, from its first status or event to
    `until`, drawn at CHART_PLACES places, with each lane's latest MARKS_PER_LANE events marked.

    Kept in the pages cache under the candidacies' versions the user can see (each grows with
    every write the user can see, `access.version_field`), the date and the user's picture: one
    query when kept, three when not."""
    sensitive = access.sees_sensitive(user)
    candidacies = _lane_candidacies(
        scheme.candidacies.select_related("country").order_by("country__name"),
        user=user,
        until=until,
    )
    key = [
        "scheme", access.picture(user), scheme.pk, scheme.name, until,
        [(c.pk, c.seen_version, c.country.name, c.country.slug) for c in candidacies],
    ]  # fmt: skip

    def build() -> StatusOverTime:
        days = [c.first_status_on for c in candidacies] + [c.first_event_on for c in candidacies]
        start = _chart_start(days, until)
        lanes = drawn_lanes(
            candidacies=candidacies,
            sensitive=sensitive,
            until=until,
            start=start,
            places=CHART_PLACES,
            marks_per_lane=MARKS_PER_LANE,
        )
        return StatusOverTime(
            title=f"{scheme.name}: status over time", start=start, end=until, lanes=lanes
        )

    chart: StatusOverTime = kept(kept_key("lanes", *key), build)
    return chart


@dataclass(frozen=True)
class CountryStrips:
    """A country's status over time in each scheme, on one shared time scale."""

    start: datetime.date
    end: datetime.date
    strips: list[tuple[Scheme, Lane]]


def country_status_strips(*, user: Person, country: Country, until: datetime.date) -> CountryStrips:
    """The country's lane in every scheme it is a candidate in (no event marks), drawn at
    DRAWN_PLACES places. Kept in the pages cache like the scheme chart: one query when kept,
    two when not."""
    sensitive = access.sees_sensitive(user)
    candidacies = _lane_candidacies(
        Candidacy.objects.filter(country=country)
        .select_related("scheme", "country")
        .order_by("-scheme__announced_on", "scheme__name"),
        user=user,
        until=until,
    )
    key = [
        "country", access.picture(user), country.pk, country.name, until,
        [(c.pk, c.seen_version, c.scheme.name, c.scheme.slug) for c in candidacies],
    ]  # fmt: skip

    def build() -> CountryStrips:
        start = _chart_start([c.first_status_on for c in candidacies], until)
        lanes = drawn_lanes(candidacies=candidacies, sensitive=sensitive, until=until, start=start)
        return CountryStrips(
            start=start,
            end=until,
            strips=[(c.scheme, lane) for c, lane in zip(candidacies, lanes, strict=True)],
        )

    strips: CountryStrips = kept(kept_key("lanes", *key), build)
    return strips


LANE_HALF_HEIGHT = 0.32
FONT = "Arial, Liberation Sans, sans-serif"


def _day(day: datetime.date) -> str:
    return day.isoformat()


def plotly_figure(chart: StatusOverTime) -> dict[str, Any]:
    """The chart as a Plotly figure (data and layout, plain JSON) for the scheme page.

    One filled trace per status (its legend entry), one rectangle per segment, and the events as
    marks with hover text. Only trace types in the served Plotly bundle (scatter).
    """
    names = [lane.country_name for lane in chart.lanes]
    rows = {name: len(names) - 1 - index for index, name in enumerate(names)}  # first on top
    # Outlines part segments a reader can tell apart; on a lane packed with changes they would
    # only darken it (neighbours always differ in colour: equal ones merge).
    outline = 0.5 if max((len(lane.segments) for lane in chart.lanes), default=0) <= 60 else 0
    traces = []
    for status in chart.statuses:
        xs, ys = [], []
        for lane in chart.lanes:
            y = rows[lane.country_name]
            for segment in lane.segments:
                if segment.status != status:
                    continue
                low, high = y - LANE_HALF_HEIGHT, y + LANE_HALF_HEIGHT
                start, end = _day(segment.start), _day(segment.end)
                xs += [start, end, end, start, start, None]
                ys += [low, low, high, high, low, None]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "fill": "toself",
                "fillcolor": COLOURS[status],
                "line": {"color": "#0B0C0C", "width": outline},
                "name": label(status),
                "hoveron": "fills",
                "hoverinfo": "name",
            }
        )
    marks = [(lane, mark) for lane in chart.lanes for mark in lane.marks]
    if marks:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [_day(mark.day) for _, mark in marks],
                "y": [rows[lane.country_name] for lane, _ in marks],
                "hovertext": [f"{lane.country_name}: {mark.hover_text}" for lane, mark in marks],
                "hoverinfo": "text",
                "name": "Event",
                "marker": {
                    "symbol": "diamond",
                    "size": 9,
                    "color": "#FFFFFF",
                    "line": {"color": "#0B0C0C", "width": 1.5},
                },
            }
        )
    layout = {
        "height": 110 + 44 * max(len(names), 1),
        "margin": {"l": 170, "r": 20, "t": 10, "b": 40},
        "font": {"family": FONT, "size": 14, "color": "#0B0C0C"},
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
        "xaxis": {
            "type": "date",
            "range": [_day(chart.start - datetime.timedelta(days=20)), _day(chart.end)],
            "showgrid": True,
            "gridcolor": "#DDDDDD",
            "fixedrange": True,
        },
        "yaxis": {
            "tickvals": [rows[name] for name in names],
            "ticktext": names,
            "range": [-0.6, len(names) - 0.4],
            "fixedrange": True,
            "zeroline": False,
            "showgrid": False,
        },
        "hovermode": "closest",
        "dragmode": False,
    }
    return {"data": traces, "layout": layout}
