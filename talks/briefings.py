"""The briefing builder: plain data for the preview, the PDF and the Word document.

`build_briefing` runs a fixed number of queries whatever the number of schemes, countries or
events (seven), and uses the one status rule (`talks.selectors.candidacies_with_status_on`) for
both dates. OFFICIAL-SENSITIVE events are read only when the user asked for them and may see
them; the marking is the highest classification of anything that shaped the briefing.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from talks.dates import date_label
from talks.models import Candidacy, Classification, Scheme, TalkEvent
from talks.selectors import can_see_sensitive, candidacies_with_status_on
from talks.static_map import MapCountry
from talks.statuses import COLOURS, Status, label

LATEST_PER_COUNTRY = 3
WINDOW_EVENTS_PER_SCHEME = 25
OFFICIAL = Classification.OFFICIAL.label
OFFICIAL_SENSITIVE = Classification.OFFICIAL_SENSITIVE.label


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


def author_name(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def _visible_events(schemes: list[Scheme], include_sensitive: bool) -> QuerySet[TalkEvent]:
    events = TalkEvent.objects.effective().filter(scheme__in=schemes)
    if not include_sensitive:
        events = events.filter(classification=Classification.OFFICIAL)
    return events.select_related("source", "candidacy__country")


def _latest_per_candidacy(events: QuerySet[TalkEvent], as_of: datetime.date) -> list[TalkEvent]:
    ranked = events.filter(candidacy__isnull=False, occurred_on__lte=as_of).annotate(
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

    now: list[Candidacy]
    then: dict[int, str]
    rule_events: dict[int, tuple[str, str]]
    latest: dict[int, list[TalkEvent]]
    window: dict[int, list[TalkEvent]]
    window_totals: dict[int, int]


def _facts(request: BriefingRequest, include_sensitive: bool) -> _Facts:
    scheme_candidacies = Candidacy.objects.filter(scheme__in=request.schemes)
    now = list(
        candidacies_with_status_on(
            on=request.as_of,
            include_sensitive=include_sensitive,
            candidacies=scheme_candidacies.select_related("country"),
        ).order_by("country__name")
    )
    then_rows = candidacies_with_status_on(
        on=request.changes_since,
        include_sensitive=include_sensitive,
        candidacies=scheme_candidacies,
    ).values_list("pk", "rule_status", "rule_event_id")
    then, rule_ids = {}, {c.rule_event_id for c in now}
    for pk, status, event_id in then_rows:
        then[pk] = status or ""
        rule_ids.add(event_id)
    rule_events = {
        pk: (classification, precision)
        for pk, classification, precision in TalkEvent.objects.filter(
            pk__in=[i for i in rule_ids if i]
        ).values_list("pk", "classification", "precision")
    }
    events = _visible_events(request.schemes, include_sensitive)
    latest: dict[int, list[TalkEvent]] = defaultdict(list)
    for event in _latest_per_candidacy(events, request.as_of):
        latest[event.candidacy_id].append(event)
    window: dict[int, list[TalkEvent]] = defaultdict(list)
    for event in _window_events(events, request):
        window[event.scheme_id].append(event)
    totals = dict(
        _in_window(events, request).values_list("scheme_id").annotate(n=Count("id")).order_by()
    )
    return _Facts(now, then, rule_events, latest, window, totals)


def _since_label(candidacy: Candidacy, facts: _Facts) -> str:
    if candidacy.rule_since is None:
        return ""
    precision = facts.rule_events.get(candidacy.rule_event_id, ("", "day"))[1]
    return date_label(candidacy.rule_since, precision)


def _country_section(candidacy: Candidacy, facts: _Facts, sources: _SourceNumbers):
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


def _marking(facts: _Facts) -> str:
    shown = [e for group in (*facts.latest.values(), *facts.window.values()) for e in group]
    rule = [classification for classification, _ in facts.rule_events.values()]
    sensitive = any(e.is_sensitive for e in shown) or Classification.OFFICIAL_SENSITIVE in rule
    return OFFICIAL_SENSITIVE if sensitive else OFFICIAL


def build_briefing(*, request: BriefingRequest, user, now: datetime.datetime) -> Briefing:
    """The briefing as plain data. Refuses sensitive material to a user without clearance."""
    if request.include_sensitive and not can_see_sensitive(user):
        raise PermissionDenied("You need clearance to include OFFICIAL-SENSITIVE material.")
    if not user.has_perm("talks.export_briefing"):
        raise PermissionDenied("You need the permission to export briefings (Managers).")
    facts = _facts(request, request.include_sensitive)
    sources = _SourceNumbers()
    sections = [_scheme_section(scheme, facts, sources) for scheme in request.schemes]
    names = "; ".join(scheme.name for scheme in request.schemes)
    return Briefing(
        title=f"Briefing: {names}",
        as_of=request.as_of,
        changes_since=request.changes_since,
        author=author_name(user),
        produced_at=now,
        include_sensitive=request.include_sensitive,
        marking=_marking(facts),
        schemes=sections,
        sources=list(sources.refs.values()),
    )
