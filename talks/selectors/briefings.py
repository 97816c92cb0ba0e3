"""The briefing builder: plain data for the preview, the PDF and the Word document.

`build_briefing` runs a fixed number of queries whatever the number of countries or events
(seven, and two for each scheme's chart), and uses the one status rule
(`talks.selectors.status.candidacies_with_status_on`) for both dates. OFFICIAL-SENSITIVE events
are read only when the user asked for them and may see them; the marking is the highest
classification of anything that shaped the briefing.
"""

import datetime
import operator
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import reduce
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from talks import access
from talks.models import Candidacy, Classification, Person, Scheme, TalkEvent
from talks.rules.dates import date_label
from talks.rules.statuses import COLOURS, Status, label
from talks.selectors.status import RuleFields, candidacies_with_status_on, status_events
from talks.selectors.status_over_time import StatusOverTime, drawn_lanes

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    type RuledCandidacy = WithAnnotations[Candidacy, RuleFields]

LATEST_PER_COUNTRY = 3
WINDOW_EVENTS_PER_SCHEME = 25
# The printed status-over-time chart marks each country's latest events only: a lane holds a few
# hundred marks at most before they merge into a bar.
MARKS_PER_LANE = 40
# The printed chart is drawn this many places wide (about 1.7 mm each on A4): each lane has at
# most this many segments, however long its history.
PRINTED_PLACES = 100
OFFICIAL = Classification.OFFICIAL.label
OFFICIAL_SENSITIVE = Classification.OFFICIAL_SENSITIVE.label


@dataclass(frozen=True)
class MapCountry:
    """A country of the scheme on the map: its code, name and status ("" for none)."""

    code: str
    name: str
    status: str
    label_lon: float | None = None
    label_lat: float | None = None


@dataclass(frozen=True)
class BriefingRequest:
    """What the manager asked for."""

    schemes: list[Scheme]
    as_of: datetime.date
    changes_since: datetime.date
    include_sensitive: bool = False


@dataclass(frozen=True)
class SourceRef:
    number: int
    outlet: str
    title: str
    url: str
    published: str
    reliability: str


@dataclass(frozen=True)
class EventItem:
    date: str
    occurred_on: datetime.date
    kind: str
    title: str
    summary: str
    quote: str
    speaker: str
    country: str
    new_status: str
    sensitive: bool
    source_ref: int | None

    @property
    def new_status_label(self) -> str:
        return label(self.new_status) if self.new_status else ""


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class StatusMove:
    country: str
    before: str
    after: str
    since: str

    @property
    def before_label(self) -> str:
        return label(self.before)

    @property
    def after_label(self) -> str:
        return label(self.after)


@dataclass(frozen=True)
class CountrySection:
    name: str
    code: str
    status: str
    since: str
    status_then: str
    events: list[EventItem]
    label_lon: float | None = None
    label_lat: float | None = None

    @property
    def status_label(self) -> str:
        return label(self.status)

    @property
    def status_then_label(self) -> str:
        return label(self.status_then)

    @property
    def colour(self) -> str:
        return COLOURS.get(self.status, "#FFFFFF")

    @property
    def changed(self) -> bool:
        return self.status != self.status_then


@dataclass(frozen=True)
class SchemeSection:
    name: str
    slug: str
    summary: str
    counts: list[StatusCount]
    moves: list[StatusMove]
    window_events: list[EventItem]
    window_event_total: int
    countries: list[CountrySection]
    status_over_time: StatusOverTime | None = None

    @property
    def map_countries(self) -> list[MapCountry]:
        return [
            MapCountry(c.code, c.name, c.status, c.label_lon, c.label_lat) for c in self.countries
        ]

    @property
    def more_window_events(self) -> int:
        return self.window_event_total - len(self.window_events)


@dataclass(frozen=True)
class Briefing:
    title: str
    as_of: datetime.date
    changes_since: datetime.date
    author: str
    produced_at: datetime.datetime
    include_sensitive: bool
    marking: str
    schemes: list[SchemeSection]
    sources: list[SourceRef] = field(default_factory=list)

    @property
    def as_of_label(self) -> str:
        return date_label(self.as_of, "day")

    @property
    def changes_since_label(self) -> str:
        return date_label(self.changes_since, "day")

    @property
    def produced_label(self) -> str:
        return f"{date_label(self.produced_at.date(), 'day')}, {self.produced_at:%H:%M}"

    @property
    def is_sensitive(self) -> bool:
        return self.marking == OFFICIAL_SENSITIVE


class _SourceNumbers:
    """Numbers sources in order of first citation."""

    def __init__(self) -> None:
        self.refs: dict[int, SourceRef] = {}

    def cite(self, event: TalkEvent) -> int | None:
        source = event.source
        if source is None:
            return None
        if source.pk not in self.refs:
            published = date_label(source.published_on, "day") if source.published_on else ""
            self.refs[source.pk] = SourceRef(
                number=len(self.refs) + 1,
                outlet=source.outlet,
                title=source.title,
                url=source.url,
                published=published,
                reliability=source.get_reliability_display(),
            )
        return self.refs[source.pk].number


def author_name(user: Person) -> str:
    if not user.is_authenticated:
        return ""
    return user.get_full_name().strip() or user.get_username()


def _visible_events(schemes: list[Scheme], include_sensitive: bool) -> QuerySet[TalkEvent]:
    in_schemes = TalkEvent.objects.effective().filter(scheme__in=schemes)
    events = access.events_in(access.FULL if include_sensitive else access.OFFICIAL, in_schemes)
    return events.select_related("source", "candidacy__country")


CHART_FACTS = ("first_status_on", "first_event_on", "sensitive_status")


def _chart_facts(as_of: datetime.date, include_sensitive: bool) -> dict[str, Subquery | Exists]:
    """Per candidacy (index lookups): the day of its first status and of its first event up to
    `as_of` (where its chart begins), and whether an OFFICIAL-SENSITIVE status event is among
    those the chart is drawn from (its marking, however the drawing folds them)."""
    statuses = status_events(include_sensitive=include_sensitive).filter(
        candidacy=OuterRef("pk"), occurred_on__lte=as_of
    )
    picture = access.FULL if include_sensitive else access.OFFICIAL
    events = access.events_in(picture, TalkEvent.objects.effective())
    events = events.filter(candidacy=OuterRef("pk"), occurred_on__lte=as_of)
    return {
        "first_status_on": Subquery(statuses.order_by("occurred_on").values("occurred_on")[:1]),
        "first_event_on": Subquery(events.order_by("occurred_on").values("occurred_on")[:1]),
        "sensitive_status": Exists(access.sensitive_events(statuses)),
    }


def _latest_cutoff(as_of: datetime.date, include_sensitive: bool) -> Subquery:
    """The date of a candidacy's LATEST_PER_COUNTRY-th latest event on or before `as_of` (NULL when
    it has fewer): its latest events are on or after it, so they are found through the
    (candidacy, date) index instead of ranking every event of the candidacy."""
    events = TalkEvent.objects.effective().filter(candidacy=OuterRef("pk"), occurred_on__lte=as_of)
    events = access.events_in(access.FULL if include_sensitive else access.OFFICIAL, events)
    latest = events.order_by("-occurred_on", "-id").values("occurred_on")
    return Subquery(latest[LATEST_PER_COUNTRY - 1 : LATEST_PER_COUNTRY])


def _latest_per_candidacy(
    events: QuerySet[TalkEvent], as_of: datetime.date, cutoffs: dict[int, datetime.date | None]
) -> list[TalkEvent]:
    if not cutoffs:
        return []
    bounds = [
        Q(candidacy_id=pk, occurred_on__gte=cutoff) if cutoff else Q(candidacy_id=pk)
        for pk, cutoff in cutoffs.items()
    ]
    ranked = events.filter(reduce(operator.or_, bounds), occurred_on__lte=as_of).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("candidacy_id")],
            order_by=[F("occurred_on").desc(), F("id").desc()],
        )
    )
    return list(ranked.filter(rank__lte=LATEST_PER_COUNTRY).order_by("-occurred_on", "-id"))


def _in_window(events: QuerySet[TalkEvent], request: BriefingRequest) -> QuerySet[TalkEvent]:
    return events.filter(occurred_on__gt=request.changes_since, occurred_on__lte=request.as_of)


def _window_events(events: QuerySet[TalkEvent], request: BriefingRequest) -> list[TalkEvent]:
    ranked = _in_window(events, request).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("scheme_id")],
            order_by=[F("occurred_on").desc(), F("id").desc()],
        )
    )
    return list(ranked.filter(rank__lte=WINDOW_EVENTS_PER_SCHEME).order_by("-occurred_on", "-id"))


def _item(event: TalkEvent, sources: _SourceNumbers) -> EventItem:
    return EventItem(
        date=date_label(event.occurred_on, event.precision),
        occurred_on=event.occurred_on,
        kind=event.get_kind_display(),
        title=event.title,
        summary=event.summary,
        quote=event.quote,
        speaker=event.speaker,
        country=event.candidacy.country.name if event.candidacy else "",
        new_status=event.new_status,
        sensitive=event.is_sensitive,
        source_ref=sources.cite(event),
    )


def _counts(statuses: list[str]) -> list[StatusCount]:
    order = [*Status, ""]
    return [
        StatusCount(s, label(s), COLOURS.get(s, "#FFFFFF"), statuses.count(s))
        for s in order
        if statuses.count(s)
    ]


@dataclass
class _Facts:
    """The rows the seven queries return, before they are shaped into sections."""

    now: list["RuledCandidacy"]
    then: dict[int, str]
    rule_events: dict[int, tuple[str, str]]
    latest: dict[int, list[TalkEvent]]
    window: dict[int, list[TalkEvent]]
    window_totals: dict[int, int]
    # Each candidacy's first status, first event and whether a sensitive status event shaped it.
    chart_facts: dict[int, tuple[datetime.date | None, datetime.date | None, bool]]


def _facts(request: BriefingRequest, include_sensitive: bool) -> _Facts:
    scheme_candidacies = Candidacy.objects.filter(scheme__in=request.schemes)
    now = list(
        candidacies_with_status_on(
            on=request.as_of,
            include_sensitive=include_sensitive,
            candidacies=scheme_candidacies.select_related("country"),
        ).order_by("country__name")
    )
    then_rows = (
        candidacies_with_status_on(
            on=request.changes_since,
            include_sensitive=include_sensitive,
            candidacies=scheme_candidacies,
        )
        .annotate(
            latest_cutoff=_latest_cutoff(request.as_of, include_sensitive),
            **_chart_facts(request.as_of, include_sensitive),
        )
        .values_list("pk", "rule_status", "rule_event_id", "latest_cutoff", *CHART_FACTS)
    )
    then, rule_ids = {}, {c.rule_event_id for c in now}
    cutoffs: dict[int, datetime.date | None] = {}
    chart_facts: dict[int, tuple[datetime.date | None, datetime.date | None, bool]] = {}
    for pk, status, event_id, cutoff, first_status, first_event, sensitive in then_rows:
        then[pk] = status or ""
        rule_ids.add(event_id)
        cutoffs[pk] = cutoff
        chart_facts[pk] = (first_status, first_event, sensitive)
    rule_events = {
        pk: (classification, precision)
        for pk, classification, precision in TalkEvent.objects.filter(
            pk__in=[i for i in rule_ids if i]
        ).values_list("pk", "classification", "precision")
    }
    events = _visible_events(request.schemes, include_sensitive)
    latest: dict[int, list[TalkEvent]] = defaultdict(list)
    for event in _latest_per_candidacy(events, request.as_of, cutoffs):
        if event.candidacy_id is not None:  # always: only candidacies' events are read
            latest[event.candidacy_id].append(event)
    window: dict[int, list[TalkEvent]] = defaultdict(list)
    for event in _window_events(events, request):
        window[event.scheme_id].append(event)
    totals = dict(
        _in_window(events, request).values_list("scheme_id").annotate(n=Count("id")).order_by()
    )
    return _Facts(now, then, rule_events, latest, window, totals, chart_facts)


def _since_label(candidacy: "RuledCandidacy", facts: _Facts) -> str:
    if candidacy.rule_since is None:
        return ""
    precision = facts.rule_events.get(candidacy.rule_event_id or 0, ("", "day"))[1]
    return date_label(candidacy.rule_since, precision)


def _country_section(
    candidacy: "RuledCandidacy", facts: _Facts, sources: _SourceNumbers
) -> CountrySection:
    country = candidacy.country
    return CountrySection(
        name=country.name,
        code=country.code,
        status=candidacy.rule_status or "",
        since=_since_label(candidacy, facts),
        status_then=facts.then.get(candidacy.pk, ""),
        events=[_item(e, sources) for e in facts.latest.get(candidacy.pk, [])],
        label_lon=country.label_longitude,
        label_lat=country.label_latitude,
    )


def _scheme_section(scheme: Scheme, facts: _Facts, sources: _SourceNumbers) -> SchemeSection:
    window_events = [_item(e, sources) for e in facts.window.get(scheme.pk, [])]
    countries = [_country_section(c, facts, sources) for c in facts.now if c.scheme_id == scheme.pk]
    moves = [StatusMove(c.name, c.status_then, c.status, c.since) for c in countries if c.changed]
    return SchemeSection(
        name=scheme.name,
        slug=scheme.slug,
        summary=scheme.summary,
        counts=_counts([c.status for c in countries]),
        moves=moves,
        window_events=window_events,
        window_event_total=facts.window_totals.get(scheme.pk, 0),
        countries=countries,
    )


def _chart(scheme: Scheme, facts: _Facts, request: BriefingRequest) -> StatusOverTime:
    """The scheme's status over time, one lane per country, drawn by the database at the
    printed chart's resolution (PRINTED_PLACES) from the year of its first status or event, with
    each lane's latest MARKS_PER_LANE events marked (two queries)."""
    candidacies = [c for c in facts.now if c.scheme_id == scheme.pk]
    days = [day for c in candidacies for day in facts.chart_facts.get(c.pk, ())[:2] if day]
    start = min(days, default=request.as_of).replace(month=1, day=1)
    lanes = drawn_lanes(
        candidacies=candidacies,
        sensitive=request.include_sensitive,
        until=request.as_of,
        start=start,
        places=PRINTED_PLACES,
        marks_per_lane=MARKS_PER_LANE,
    )
    title = f"{scheme.name}: status over time"
    return StatusOverTime(title=title, start=start, end=request.as_of, lanes=lanes)


def _marking(facts: _Facts, charts: list[StatusOverTime]) -> str:
    shown = [e for group in (*facts.latest.values(), *facts.window.values()) for e in group]
    rule = [classification for classification, _ in facts.rule_events.values()]
    sensitive = any(e.is_sensitive for e in shown) or any(
        access.is_sensitive_classification(classification) for classification in rule
    )
    sensitive = sensitive or any(chart.is_sensitive for chart in charts)
    sensitive = sensitive or any(shaped for *_, shaped in facts.chart_facts.values())
    return OFFICIAL_SENSITIVE if sensitive else OFFICIAL


def build_briefing(*, request: BriefingRequest, user: Person, now: datetime.datetime) -> Briefing:
    """The briefing as plain data. Refuses sensitive material to a user without clearance."""
    if request.include_sensitive:
        access.require(user, access.SEE_SENSITIVE)
    access.require(user, access.EXPORT)
    facts = _facts(request, request.include_sensitive)
    sources = _SourceNumbers()
    charts = {scheme.pk: _chart(scheme, facts, request) for scheme in request.schemes}
    sections = [
        replace(_scheme_section(scheme, facts, sources), status_over_time=charts[scheme.pk])
        for scheme in request.schemes
    ]
    names = "; ".join(scheme.name for scheme in request.schemes)
    return Briefing(
        title=f"Briefing: {names}",
        as_of=request.as_of,
        changes_since=request.changes_since,
        author=author_name(user),
        produced_at=now,
        include_sensitive=request.include_sensitive,
        marking=_marking(facts, list(charts.values())),
        schemes=sections,
        sources=list(sources.refs.values()),
    )
