"""Reads: the status rule and the plain data that pages and exports need."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from countries.models import MigrationRoute, RouteWaypoint
from talks.dates import date_label
from talks.models import AuditEntry, Candidacy, Classification, Scheme, Source, TalkEvent
from talks.statuses import COLOURS, label

# Candidacies with no status on a date: white with the outline every country has on the map.
NO_STATUS_COLOUR = "#FFFFFF"


@dataclass(frozen=True)
class StatusAt:
    """A candidacy's status on a date, the date it took effect and the event that set it."""

    status: str
    since: datetime.date | None
    event_id: int | None


NO_STATUS = StatusAt(status="", since=None, event_id=None)


def can_see_sensitive(user) -> bool:
    return user.has_perm("talks.view_sensitive")


def status_events(*, include_sensitive: bool) -> QuerySet[TalkEvent]:
    """The events the status rule reads: effective ones that carry a status."""
    events = TalkEvent.objects.effective().exclude(new_status="")
    if not include_sensitive:
        events = events.filter(classification=Classification.OFFICIAL)
    return events


def status_on(
    *,
    candidacy: Candidacy,
    on: datetime.date,
    include_sensitive: bool,
    excluding_event_id: int | None = None,
) -> StatusAt:
    """The status rule: the latest effective status-carrying event on or before `on` sets it."""
    events = status_events(include_sensitive=include_sensitive).filter(
        candidacy=candidacy, occurred_on__lte=on
    )
    if excluding_event_id is not None:
        events = events.exclude(pk=excluding_event_id)
    latest = events.order_by("-occurred_on", "-id").values("new_status", "occurred_on", "id")
    row = latest.first()
    if row is None:
        return NO_STATUS
    return StatusAt(status=row["new_status"], since=row["occurred_on"], event_id=row["id"])


def candidacies_with_status_on(
    *, on: datetime.date, include_sensitive: bool, candidacies: QuerySet[Candidacy] | None = None
) -> QuerySet[Candidacy]:
    """Candidacies annotated with `rule_status`, `rule_since` and `rule_event_id` on `on`.

    One query whatever the number of events (a correlated subquery per candidacy row, served by
    the partial index `event_status_rule_idx`).
    """
    latest = (
        status_events(include_sensitive=include_sensitive)
        .filter(candidacy=OuterRef("pk"), occurred_on__lte=on)
        .order_by("-occurred_on", "-id")
    )
    base = candidacies if candidacies is not None else Candidacy.objects.all()
    return base.annotate(
        rule_status=Subquery(latest.values("new_status")[:1]),
        rule_since=Subquery(latest.values("occurred_on")[:1]),
        rule_event_id=Subquery(latest.values("id")[:1]),
    )


def statuses_on(
    *, scheme: Scheme, on: datetime.date, include_sensitive: bool
) -> dict[int, StatusAt]:
    """Every candidacy of a scheme mapped to its StatusAt on `on`, in one query."""
    rows = candidacies_with_status_on(
        on=on, include_sensitive=include_sensitive, candidacies=scheme.candidacies.all()
    ).values("pk", "rule_status", "rule_since", "rule_event_id")
    return {
        row["pk"]: StatusAt(
            status=row["rule_status"] or "",
            since=row["rule_since"],
            event_id=row["rule_event_id"],
        )
        for row in rows
    }


# --- The map dashboard -------------------------------------------------------------------------


@dataclass(frozen=True)
class ShortlistRow:
    """What the map and its table say about one candidacy on a date, for one user."""

    candidacy_id: int
    country_name: str
    country_slug: str
    country_code: str
    label_latitude: float | None
    label_longitude: float | None
    status: str
    since: datetime.date | None
    since_precision: str
    last_event_title: str
    last_event_on: datetime.date | None
    last_event_precision: str

    @property
    def status_label(self) -> str:
        return label(self.status)

    @property
    def colour(self) -> str:
        return COLOURS.get(self.status, NO_STATUS_COLOUR)

    @property
    def since_label(self) -> str:
        return date_label(self.since, self.since_precision) if self.since else ""

    @property
    def last_event_label(self) -> str:
        if not self.last_event_on:
            return ""
        return date_label(self.last_event_on, self.last_event_precision)


def _latest_visible(on: datetime.date, include_sensitive: bool) -> QuerySet[TalkEvent]:
    events = TalkEvent.objects.effective().filter(candidacy=OuterRef("pk"), occurred_on__lte=on)
    if not include_sensitive:
        events = events.filter(classification=Classification.OFFICIAL)
    return events.order_by("-occurred_on", "-id")


def shortlist_rows(*, scheme: Scheme, as_of: datetime.date, user) -> list[ShortlistRow]:
    """Every candidacy of `scheme` with its status on `as_of` under the one rule, in one query.

    Users without clearance get the rule over OFFICIAL events only, so nothing they see (status,
    since, last event) depends on an OFFICIAL-SENSITIVE event.
    """
    include_sensitive = can_see_sensitive(user)
    latest = _latest_visible(as_of, include_sensitive)
    candidacies = (
        candidacies_with_status_on(
            on=as_of, include_sensitive=include_sensitive, candidacies=scheme.candidacies.all()
        )
        .annotate(
            rule_precision=Subquery(
                TalkEvent.objects.filter(pk=OuterRef("rule_event_id")).values("precision")[:1]
            ),
            last_title=Subquery(latest.values("title")[:1]),
            last_on=Subquery(latest.values("occurred_on")[:1]),
            last_precision=Subquery(latest.values("precision")[:1]),
        )
        .select_related("country")
        .order_by("country__name")
    )
    return [_row(candidacy) for candidacy in candidacies]


def _row(candidacy: Candidacy) -> ShortlistRow:
    country = candidacy.country
    return ShortlistRow(
        candidacy_id=candidacy.pk,
        country_name=country.name,
        country_slug=country.slug,
        country_code=country.code,
        label_latitude=country.label_latitude,
        label_longitude=country.label_longitude,
        status=candidacy.rule_status or "",
        since=candidacy.rule_since,
        since_precision=candidacy.rule_precision or "day",
        last_event_title=candidacy.last_title or "",
        last_event_on=candidacy.last_on,
        last_event_precision=candidacy.last_precision or "day",
    )


@dataclass(frozen=True)
class EventLine:
    """A talk event as a line in a list: latest events, upcoming key dates, a country panel."""

    id: int
    title: str
    occurred_on: datetime.date
    precision: str
    kind_label: str
    country_name: str
    country_slug: str
    is_sensitive: bool
    new_status: str
    source_outlet: str
    source_reliability: str
    quote: str
    speaker: str

    @property
    def date_label(self) -> str:
        return date_label(self.occurred_on, self.precision)

    @property
    def status_label(self) -> str:
        return label(self.new_status) if self.new_status else ""


def _event_lines(events: QuerySet[TalkEvent], limit: int) -> list[EventLine]:
    events = events.select_related("candidacy__country", "source")[:limit]
    return [_event_line(event) for event in events]


def _event_line(event: TalkEvent) -> EventLine:
    country = event.candidacy.country if event.candidacy else None
    return EventLine(
        id=event.pk,
        title=event.title,
        occurred_on=event.occurred_on,
        precision=event.precision,
        kind_label=event.get_kind_display(),
        country_name=country.name if country else "",
        country_slug=country.slug if country else "",
        is_sensitive=event.is_sensitive,
        new_status=event.new_status,
        source_outlet=event.source.outlet if event.source else "",
        source_reliability=event.source.reliability if event.source else "",
        quote=event.quote,
        speaker=event.speaker,
    )


def _scheme_events(scheme: Scheme, user) -> QuerySet[TalkEvent]:
    return TalkEvent.objects.visible_to(user).effective().filter(scheme=scheme)


def latest_events(*, scheme: Scheme, as_of: datetime.date, user, limit: int = 6) -> list[EventLine]:
    """The latest events of a scheme on or before `as_of` that `user` may see (one query)."""
    events = _scheme_events(scheme, user).filter(occurred_on__lte=as_of)
    return _event_lines(events.order_by("-occurred_on", "-id"), limit)


def upcoming_events(
    *, scheme: Scheme, as_of: datetime.date, user, limit: int = 5
) -> list[EventLine]:
    """Key dates after `as_of`, soonest first: scheduled milestones, what came next (one query)."""
    events = _scheme_events(scheme, user).filter(occurred_on__gt=as_of)
    return _event_lines(events.order_by("occurred_on", "id"), limit)


def candidacy_events(
    *, candidacy_id: int, as_of: datetime.date, user, limit: int = 5
) -> list[EventLine]:
    """A candidacy's latest events on or before `as_of` that `user` may see (one query)."""
    events = TalkEvent.objects.visible_to(user).effective().filter(candidacy_id=candidacy_id)
    events = events.filter(occurred_on__lte=as_of).order_by("-occurred_on", "-id")
    return _event_lines(events, limit)


@dataclass(frozen=True)
class Waypoint:
    place: str
    country_name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class RouteYear:
    year: int
    count: int
    is_approximate: bool
    counted: str
    caveat: str
    source_name: str
    source_url: str
    note: str


@dataclass(frozen=True)
class RouteData:
    name: str
    slug: str
    waypoints: list[Waypoint]
    figures: list[RouteYear]

    def figure_for(self, year: int | None) -> RouteYear | None:
        return next((f for f in self.figures if f.year == year), None)


def route_data(*, slug: str) -> RouteData | None:
    """A migration route with its waypoints and yearly figures (three queries), or None."""
    route = (
        MigrationRoute.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch("waypoints", RouteWaypoint.objects.select_related("country")), "figures"
        )
        .first()
    )
    if route is None:
        return None
    return RouteData(
        name=route.name,
        slug=route.slug,
        waypoints=[
            Waypoint(w.place, w.country.name, w.latitude, w.longitude)
            for w in route.waypoints.all()
        ],
        figures=[
            RouteYear(
                f.year,
                f.count,
                f.is_approximate,
                f.counted,
                f.caveat,
                f.source_name,
                f.source_url,
                f.note,
            )
            for f in route.figures.all()
        ],
    )


@dataclass(frozen=True)
class Change:
    """One audited write as a user may see it."""

    changed_at: datetime.datetime
    changed_by: str
    action: str
    event_id: int
    event_title: str
    event_date: str
    classification: str
    status_before: str
    status_after: str
    version_after: int | None
    detail: str


def _changes(entries, *, user, candidacy: Candidacy | None) -> list[Change]:
    """Audit rows as Changes, with OFFICIAL-SENSITIVE events' rows left out for uncleared users.

    Audit rows store the candidacy's status over every event. Where a candidacy has sensitive
    events, an uncleared user sees only the status each event set, never the cached ones.
    """
    cleared = can_see_sensitive(user)
    if not cleared:
        entries = entries.filter(event__classification=Classification.OFFICIAL)
    hide_cached = (
        not cleared
        and candidacy is not None
        and candidacy.events.filter(classification=Classification.OFFICIAL_SENSITIVE).exists()
    )
    rows = entries.select_related("event", "changed_by").order_by("-changed_at", "-id")
    return [
        Change(
            changed_at=row.changed_at,
            changed_by=row.changed_by.get_username() if row.changed_by else "system",
            action=row.get_action_display(),
            event_id=row.event_id,
            event_title=row.event.title,
            event_date=date_label(row.event.occurred_on, row.event.precision),
            classification=row.event.get_classification_display(),
            status_before="" if hide_cached else row.status_before,
            status_after=(row.event.new_status if hide_cached else row.status_after),
            version_after=row.version_after,
            detail=row.detail,
        )
        for row in rows
    ]


def candidacy_history(*, candidacy: Candidacy, user) -> list[Change]:
    """Every audited write on a candidacy, newest first."""
    return _changes(AuditEntry.objects.filter(candidacy=candidacy), user=user, candidacy=candidacy)


def changes_since(*, candidacy: Candidacy, version: int | None, user) -> list[Change]:
    """The writes on a candidacy after the version a user saw (what a stale form missed)."""
    entries = AuditEntry.objects.filter(candidacy=candidacy, version_after__gt=version or 0)
    return _changes(entries, user=user, candidacy=candidacy)


HIDDEN_REFUSAL = (
    "This status change is not allowed on that date, given the events recorded for this "
    "country. Ask a cleared analyst to check it."
)


def refusal_for(user, candidacy: Candidacy | None, reason: str) -> str:
    """A refused status move explained without leaking an OFFICIAL-SENSITIVE status.

    The transition check reads every event; its reason names the status before the move, which
    may come from an event an uncleared user must not learn about.
    """
    if candidacy is None or can_see_sensitive(user):
        return reason
    has_sensitive = candidacy.events.filter(
        classification=Classification.OFFICIAL_SENSITIVE
    ).exists()
    return HIDDEN_REFUSAL if has_sensitive else reason


def sources_visible_to(user) -> QuerySet:
    """Sources a user may pick: for uncleared users, not those cited only by sensitive events."""
    if can_see_sensitive(user):
        return Source.objects.all()
    cited = TalkEvent.objects.filter(source=OuterRef("pk"))
    sensitive = cited.filter(classification=Classification.OFFICIAL_SENSITIVE)
    official = cited.filter(classification=Classification.OFFICIAL)
    return Source.objects.exclude(Exists(sensitive) & ~Exists(official))
