"""Reads for the map dashboard: the status table rows, their order, counts and legend, and the
event lines beside them."""

import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery

from countries.models import RouteFigure
from talks import access
from talks.models import AuditEntry, Candidacy, Scheme, TalkEvent
from talks.rules.dates import date_label
from talks.rules.statuses import COLOURS, DEFINITIONS, Status, label
from talks.selectors.kept import LAST_EDIT, kept
from talks.selectors.status import candidacies_with_status_on

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from talks.models import Person
from talks.rules.statuses import NO_STATUS_COLOUR
from talks.selectors.status import RuleFields


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
    events = access.events_in(access.FULL if include_sensitive else access.OFFICIAL, events)
    return events.order_by("-occurred_on", "-id")


def shortlist_rows(*, scheme: Scheme, as_of: datetime.date, user: Person) -> list[ShortlistRow]:
    """Every candidacy of `scheme` with its status on `as_of` under the one rule, in one query.

    Users without clearance get the rule over OFFICIAL events only, so nothing they see (status,
    since, last event) depends on an OFFICIAL-SENSITIVE event.
    """
    include_sensitive = access.sees_sensitive(user)
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


# The dashboard's fixed queries, asked on every request with the same SQL: the ORM builds each
# once per process (building it cost more than running it) and each request runs it.


@functools.cache
def _schemes_sql() -> str:
    sql, params = Scheme.objects.all().query.sql_with_params()
    assert params == (), params
    return sql


def dashboard_schemes() -> list[Scheme]:
    """Every scheme, in the schemes' order, as the filters offer them (one query)."""
    return list(Scheme.objects.raw(_schemes_sql()))


@functools.cache
def _route_years_sql() -> str:
    figures = RouteFigure.objects.filter(route__slug="").order_by("year")
    sql, params = figures.values_list("year", flat=True).query.sql_with_params()
    assert params == ("",), params  # the route's slug, and nothing else
    return sql


def dashboard_route_years(*, slug: str) -> list[int]:
    """The years a route has figures for (one query), to read a route year in the address."""
    with connection.cursor() as cursor:
        cursor.execute(_route_years_sql(), [slug])
        return [year for (year,) in cursor.fetchall()]


@dataclass(frozen=True)
class Shortlist:
    """`shortlist_rows` for one scheme, date and picture, and the cache key that names them: the
    key changes with every write the reader can see, so figures built from the rows can be kept
    under it too. `events_key` adds the latest write anywhere (an audit row, which every write
    of the services leaves, and an edit in the admin, where sources are edited): event lines,
    which show scheme-wide events and their sources' names, are kept under it. It is empty when
    the scheme has no candidacies (nothing is kept then)."""

    key: str
    rows: list[ShortlistRow]
    events_key: str = ""


def _last_writes() -> dict[str, Subquery]:
    """The newest audit row and admin log entry (each the head of its primary key's index)."""
    return {
        "last_audit": Subquery(AuditEntry.objects.order_by("-pk").values("pk")[:1]),
        "last_admin_edit": LAST_EDIT,
    }


_KEY_FIELDS: tuple[str, ...] = ("country__name", "country__slug", "country__code")
_KEY_FIELDS += ("country__label_latitude", "country__label_longitude")


@functools.cache
def _versions_sql(version_field: str) -> str:
    """The SQL of the versions check for one version field, built by the ORM once per process
    (it is the same on every request, and building it cost more than running it): it takes the
    scheme's id as its one parameter."""
    writes = _last_writes()
    candidacies = Candidacy.objects.filter(scheme_id=0).annotate(**writes).order_by("pk")
    query = candidacies.values_list("pk", version_field, *_KEY_FIELDS, *writes).query
    sql, params = query.sql_with_params()
    assert params == (0,), params  # the scheme's id, and nothing else
    return sql


def _shortlist_keys(*, scheme: Scheme, as_of: datetime.date, user: Person) -> tuple[str, str]:
    """What the rows depend on, in one query: each candidacy of the scheme with the version that
    grows with every write the reader can see (`access.version_field`) and its country's names
    and label position; the date; the reader's picture. Then the same with the latest writes
    (`Shortlist.events_key`)."""
    with connection.cursor() as cursor:
        cursor.execute(_versions_sql(access.version_field(user)), [scheme.pk])
        state = cursor.fetchall()
    width = 2 + len(_KEY_FIELDS)
    rows = [tuple(values[:width]) for values in state]
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:32]
    key = f"shortlist:{access.picture(user)}:{scheme.pk}:{as_of.isoformat()}:{digest}"
    last_audit, last_admin_edit = state[0][width:] if state else (None, None)
    return key, f"{key}:{last_audit}:{last_admin_edit}" if state else ""


def cached_shortlist(*, scheme: Scheme, as_of: datetime.date, user: Person) -> Shortlist:
    """`shortlist_rows`, kept in the pages cache under a key that changes with every write the
    reader can see (one small query when kept, two when not)."""
    key, events_key = _shortlist_keys(scheme=scheme, as_of=as_of, user=user)
    rows = kept(key, lambda: shortlist_rows(scheme=scheme, as_of=as_of, user=user))
    return Shortlist(key=key, rows=rows, events_key=events_key)


def _kept[T](key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the pages cache under `key` (worked out afresh when `key` is empty)."""
    return kept(key, compute) if key else compute()


class RowFields(RuleFields):
    """What `shortlist_rows` adds to each candidacy besides the status rule's fields."""

    rule_precision: str | None
    last_title: str | None
    last_on: datetime.date | None
    last_precision: str | None


def _row(candidacy: "WithAnnotations[Candidacy, RowFields]") -> ShortlistRow:
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


def _scheme_events(scheme: Scheme, user: Person) -> QuerySet[TalkEvent]:
    return access.visible_events(user).effective().filter(scheme=scheme)


def latest_events(
    *, scheme: Scheme, as_of: datetime.date, user: Person, limit: int = 6
) -> list[EventLine]:
    """The latest events of a scheme on or before `as_of` that `user` may see (one query)."""
    events = _scheme_events(scheme, user).filter(occurred_on__lte=as_of)
    return _event_lines(events.order_by("-occurred_on", "-id"), limit)


def upcoming_events(
    *, scheme: Scheme, as_of: datetime.date, user: Person, limit: int = 5
) -> list[EventLine]:
    """Key dates after `as_of`, soonest first: scheduled milestones, what came next (one query)."""
    events = _scheme_events(scheme, user).filter(occurred_on__gt=as_of)
    return _event_lines(events.order_by("occurred_on", "id"), limit)


def candidacy_events(
    *, candidacy_id: int, as_of: datetime.date, user: Person, limit: int = 5
) -> list[EventLine]:
    """A candidacy's latest events on or before `as_of` that `user` may see (one query)."""
    events = access.visible_events(user).effective().filter(candidacy_id=candidacy_id)
    events = events.filter(occurred_on__lte=as_of).order_by("-occurred_on", "-id")
    return _event_lines(events, limit)


@dataclass(frozen=True)
class SchemeEventLines:
    """The dashboard's two lists beside the table: the latest events and the key dates after."""

    latest: list[EventLine]
    upcoming: list[EventLine]


def cached_scheme_events(
    *, shortlist: Shortlist, scheme: Scheme, as_of: datetime.date, user: Person
) -> SchemeEventLines:
    """`latest_events` and `upcoming_events` of `shortlist`'s scheme, date and picture, kept
    under its `events_key` (no query when kept, two when not)."""
    return _kept(
        f"scheme-events:{shortlist.events_key}" if shortlist.events_key else "",
        lambda: SchemeEventLines(
            latest=latest_events(scheme=scheme, as_of=as_of, user=user),
            upcoming=upcoming_events(scheme=scheme, as_of=as_of, user=user),
        ),
    )


def cached_candidacy_events(
    *, shortlist: Shortlist, candidacy_id: int, as_of: datetime.date, user: Person
) -> list[EventLine]:
    """`candidacy_events` of one of `shortlist`'s candidacies, kept under its `events_key` (no
    query when kept, one when not)."""
    return _kept(
        f"candidacy-events:{candidacy_id}:{shortlist.events_key}" if shortlist.events_key else "",
        lambda: candidacy_events(candidacy_id=candidacy_id, as_of=as_of, user=user),
    )


def _legend() -> list[dict[str, Any]]:
    entries = [
        {"status": s, "label": s.label, "colour": COLOURS[s], "definition": DEFINITIONS[s]}
        for s in Status
    ]
    entries.append(
        {
            "status": "",
            "label": label(""),
            "colour": NO_STATUS_COLOUR,
            "definition": "On the list, but no event has set a status by this date.",
        }
    )
    return entries


LEGEND = _legend()
_STAGE = {status: index for index, status in enumerate([*Status, ""])}


def status_counts(rows: list[ShortlistRow]) -> list[dict[str, Any]]:
    """How many countries stand at each status, in stage order; statuses with none left out."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return [
        {**entry, "count": counts[entry["status"]]} for entry in LEGEND if entry["status"] in counts
    ]


_EARLIEST = datetime.date.min
SORT_KEYS = {
    "country": lambda r: r.country_name,
    "status": lambda r: (_STAGE[r.status], r.country_name),
    "since": lambda r: (r.since or _EARLIEST, r.country_name),
    "last_event": lambda r: (r.last_event_on or _EARLIEST, r.country_name),
}


def sort_rows(rows: list[ShortlistRow], sort: str) -> list[ShortlistRow]:
    key = sort.removeprefix("-")
    return sorted(rows, key=SORT_KEYS.get(key, SORT_KEYS["country"]), reverse=sort.startswith("-"))
