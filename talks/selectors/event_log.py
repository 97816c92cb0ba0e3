"""The event log's filters and its one query, shared by the page and the exports.

    form = EventLogFilters(request.GET)
    form.is_valid()                      # invalid fields are dropped, the valid ones still apply
    events = filtered_events(user=request.user, filters=form.filters())

`filtered_events` returns a lazy queryset of the events the user may see (OFFICIAL-SENSITIVE
only with `talks.view_sensitive`), filtered, searched and sorted, with everything a row shows
already joined; `event_log_page` one keyset page of it with its total (talks.selectors.paging).

Search uses PostgreSQL's full-text search (websearch syntax) on the stored, GIN-indexed column
`search_vector` of migration 0007, together with the gate's visibility filter, and falls back to
case-insensitive matching on other databases. Results are ranked by best match when at most
RANK_LIMIT events match; a search matching more is sorted newest first (ranking every match of a
common word means reading hundreds of thousands of rows), and the page says so.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Count, Expression, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import BaseExpression, OrderBy

from countries.models import Country
from talks import access
from talks.models import Candidacy, Person, Scheme, TalkEvent, TalkEventQuerySet
from talks.selectors import paging
from talks.selectors.kept import LAST_EDIT, kept, key, rows_of
from talks.selectors.paging import KeysetPage, PageRequest, Total, count_rows, keyset_page

SEARCH_CONFIG = "english"
SEARCH_FIELDS = ("title", "summary", "quote", "speaker")
MAX_QUERY_LENGTH = 200
# What an event row shows besides the event itself: joined in the same query (API, feeds, exports).
ROW_RELATIONS = ("scheme", "candidacy__country", "source", "superseded_by", "supersedes")
# What a page's timeline joins: the corrections come from a second, small query for the page's
# rows (`timeline_rows`); two self-joins more cost the query three times its planning.
PAGE_RELATIONS = ("scheme", "candidacy__country", "source")
# Searches matching more events than this are sorted by date, not ranked (see above).
RANK_LIMIT = paging.EXACT_COUNT_LIMIT


class StoredSearchVector(Expression):
    """The event's stored search document, `talks_talkevent.search_vector` (PostgreSQL only).

    Migration 0007 generates it from the title (weight A), summary (B), quote and speaker (C) in
    the English configuration and indexes it (GIN). It is not a model field: SQLite has no such
    column, and no other read needs it.
    """

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None) -> None:
        super().__init__()
        self.alias = alias

    def resolve_expression(
        self, query: Any = None, *args: Any, **kwargs: Any
    ) -> "StoredSearchVector":
        clone = self.copy()
        clone.alias = query.get_initial_alias() if query is not None else None
        return clone

    def relabeled_clone(self, change_map: Mapping[str, str]) -> "StoredSearchVector":
        clone = self.copy()
        if self.alias is not None:
            clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        return f'{compiler.quote_name(self.alias)}."search_vector"', ()

    def get_group_by_cols(self) -> list[BaseExpression]:
        return [self]


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True, kw_only=True)
class EventFilters:
    """Validated event-log filters; every field is optional."""

    scheme: Scheme | None = None
    country: Country | None = None
    kind: str = ""
    status: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""
    sort: str = ""
    order: str = "desc"
    current_only: bool = False
    errors: tuple[str, ...] = ()


def _apply_filters(events: TalkEventQuerySet, filters: EventFilters) -> TalkEventQuerySet:
    if filters.scheme:
        events = events.filter(scheme=filters.scheme)
    if filters.country:
        events = events.filter(candidacy__country=filters.country)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.status:
        events = events.filter(new_status=filters.status)
    if filters.date_from:
        events = events.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(occurred_on__lte=filters.date_to)
    if filters.current_only:
        events = events.effective()
    return events


def _search(events: QuerySet[TalkEvent], text: str, *, ranked: bool) -> QuerySet[TalkEvent]:
    if not uses_full_text_search():
        return _search_fallback(events, text)
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    found = events.alias(search=StoredSearchVector()).filter(search=query)
    return found.annotate(rank=SearchRank(StoredSearchVector(), query)) if ranked else found


def _search_fallback(events: QuerySet[TalkEvent], text: str) -> QuerySet[TalkEvent]:
    """Every word must appear in one of the searched fields (case-insensitive)."""
    words = [word.strip('"') for word in text.split()]
    for word in (w for w in words if w and not w.startswith("-")):
        match = Q()
        for field in SEARCH_FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        events = events.filter(match)
    for word in (w[1:] for w in words if w.startswith("-") and len(w) > 1):
        for field in SEARCH_FIELDS:
            events = events.exclude(**{f"{field}__icontains": word})
    return events


def _ordering(filters: EventFilters, ranked: bool) -> list[OrderBy]:
    """ORDER BY for the filters. Plain ASC/DESC on the NOT NULL columns, so PostgreSQL can walk
    the (occurred_on, id) index; only the country (NULL for scheme-wide events) says where NULLs
    go: last, both ways."""
    descending = filters.order != "asc"

    def by(name: str) -> OrderBy:
        return F(name).desc() if descending else F(name).asc()

    if filters.sort == "title":
        return [by("title"), by("occurred_on"), by("id")]
    if filters.sort == "country":
        country = F("candidacy__country__name")
        first = country.desc(nulls_last=True) if descending else country.asc(nulls_last=True)
        return [first, F("occurred_on").desc(), F("id").desc()]
    if filters.sort == "" and ranked:
        return [F("rank").desc(), F("occurred_on").desc(), F("id").desc()]
    return [by("occurred_on"), by("id")]


def sort_description(filters: EventFilters, *, ranked: bool | None = None) -> str:
    """How the results are ordered, in words, for the page to say (`ranked`: whether a search
    was ranked, which depends on how many events match)."""
    ranked = ranked if ranked is not None else bool(filters.q) and uses_full_text_search()
    if filters.sort == "" and filters.q and ranked:
        return "best match first"
    ascending = filters.order == "asc"
    if filters.sort == "" and filters.q and uses_full_text_search():
        by_date = "date, oldest first" if ascending else "date, newest first"
        return f"{by_date}: more than {RANK_LIMIT:,} events match, too many to rank by best match"
    if filters.sort == "title":
        return "title, A to Z" if ascending else "title, Z to A"
    if filters.sort == "country":
        return "country, A to Z" if ascending else "country, Z to A"
    return "date, oldest first" if ascending else "date, newest first"


def _matching(user: Person, filters: EventFilters, *, ranked: bool) -> QuerySet[TalkEvent]:
    """The visible events matching the filters and the search (unsorted, no relations)."""
    visible = _apply_filters(access.visible_events(user), filters)
    return _search(visible, filters.q, ranked=ranked) if filters.q else visible


def _ranks(filters: EventFilters, total: Total) -> bool:
    """Is this a search ranked by best match? Only with full-text search, no other sort asked
    for, and few enough matches (RANK_LIMIT) to rank them all."""
    return (
        bool(filters.q)
        and uses_full_text_search()
        and filters.sort == ""
        and not total.estimated
        and total.value <= RANK_LIMIT
    )


def _sorted(
    events: QuerySet[TalkEvent],
    filters: EventFilters,
    ranked: bool,
    relations: tuple[str, ...] = ROW_RELATIONS,
) -> QuerySet[TalkEvent]:
    return events.select_related(*relations).order_by(*_ordering(filters, ranked))


def filtered_events(*, user: Person, filters: EventFilters) -> QuerySet[TalkEvent]:
    """The events `user` may see that match `filters`, sorted, with their rows' relations joined.

    A search (on PostgreSQL, without another sort) first counts its matches up to RANK_LIMIT,
    in one query, to decide between best match and date order."""
    ranked = False
    if filters.q and filters.sort == "" and uses_full_text_search():
        matches = _matching(user, filters, ranked=False).order_by()[: RANK_LIMIT + 1].count()
        ranked = _ranks(filters, Total(matches))
    return _sorted(_matching(user, filters, ranked=ranked), filters, ranked)


@dataclass(frozen=True)
class EventLogPage:
    page: KeysetPage
    ranked: bool  # a search sorted by best match
    sorted_by: str  # the order, in words


def event_log_page(
    *, user: Person, filters: EventFilters, wanted: PageRequest, query_id: str
) -> EventLogPage:
    """One page of the event log: its rows, its total (exact up to EXACT_COUNT_LIMIT, else
    estimated), links to its neighbours. The same number of queries at any size."""
    total = count_rows(_matching(user, filters, ranked=False), limit=RANK_LIMIT)
    ranked = _ranks(filters, total)
    events = _sorted(_matching(user, filters, ranked=ranked), filters, ranked, PAGE_RELATIONS)
    page = keyset_page(events, wanted, query_id=query_id, total=total)
    return EventLogPage(
        page=page, ranked=ranked, sorted_by=sort_description(filters, ranked=ranked)
    )


# --- A page's timeline -------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineRow:
    """One event of a page's timeline with the correction that replaced it and the event it
    corrects, each only if the reader may see it (else None: a hidden correction reads
    "Corrected by a later entry", a correction of a hidden event reads as new)."""

    event: TalkEvent
    correction: TalkEvent | None = None
    original: TalkEvent | None = None

    def shown(self) -> tuple[Any, ...]:
        """Everything the row shows, as plain values: equal for two rows that read the same."""
        event, source, candidacy = self.event, self.event.source, self.event.candidacy
        return (
            *(getattr(event, name) for name in SHOWN_EVENT_FIELDS),
            (event.scheme.slug, event.scheme.name),
            (candidacy.country.slug, candidacy.country.name) if candidacy else None,
            tuple(getattr(source, name) for name in SHOWN_SOURCE_FIELDS) if source else None,
            tuple(getattr(self.correction, name) for name in SHOWN_CORRECTION_FIELDS)
            if self.correction
            else None,
            (self.original.pk, self.original.title) if self.original else None,
        )


SHOWN_EVENT_FIELDS = (
    "pk", "occurred_on", "precision", "kind", "classification", "title", "summary", "quote",
    "speaker", "new_status", "retracted_at", "retraction_reason", "superseded_by_id",
)  # fmt: skip
SHOWN_SOURCE_FIELDS = (
    "pk", "url", "outlet", "title", "published_on", "reliability", "reliability_note",
)  # fmt: skip
SHOWN_CORRECTION_FIELDS = ("pk", "title", "occurred_on", "precision")


def timeline_rows(events: list[TalkEvent], *, user: Person) -> list[TimelineRow]:
    """The page's events with their corrections and originals `user` may see: one query for
    the whole page (none when it is empty)."""
    if not events:
        return []
    corrections = [event.superseded_by_id for event in events if event.superseded_by_id]
    related = access.visible_events(
        user, TalkEvent.objects.filter(Q(pk__in=corrections) | Q(superseded_by__in=events))
    ).only("pk", "title", "occurred_on", "precision", "superseded_by_id")
    by_pk, by_original = {}, {}
    for found in related:
        by_pk[found.pk] = found
        if found.superseded_by_id is not None:
            by_original[found.superseded_by_id] = found
    return [
        TimelineRow(
            event=event,
            correction=by_pk.get(event.superseded_by_id) if event.superseded_by_id else None,
            original=by_original.get(event.pk),
        )
        for event in events
    ]


# --- Kept pages ----------------------------------------------------------------------------------


def scheme_wide_counts(user: Person) -> dict[str, Subquery]:
    """Annotations for a scheme: its scheme-wide events `user` may see, counted with their
    retractions and corrections. Scheme-wide events belong to no candidacy (so no version counts
    their writes); events are never deleted and change only by being retracted or corrected, so
    these counts change with every write to them."""
    wide = (
        access.visible_events(user)
        .filter(scheme=OuterRef("pk"), candidacy__isnull=True)
        .order_by()
        .values("scheme")
    )
    counted = {
        "wide_events": "pk",
        "wide_retracted": "retracted_at",
        "wide_corrected": "superseded_by",
    }
    return {
        name: Subquery(wide.annotate(n=Count(field)).values("n")[:1])
        for name, field in counted.items()
    }


def log_state(*, user: Person) -> str:
    """A key for every event `user` may see, as they may see it: per scheme, the sum of its
    candidacies' versions the reader can see (each write to a candidacy's events adds one,
    `access.version_field`) and its scheme-wide events counted (`scheme_wide_counts`); the
    newest admin edit (sources, countries and schemes are edited there); the reader's picture.
    One small query. A sensitive write leaves an uncleared reader's key as it was."""

    def build() -> QuerySet[Scheme]:
        versions = (
            Candidacy.objects.filter(scheme=OuterRef("pk"))
            .order_by()
            .values("scheme")
            .annotate(total=Sum(access.version_field(user)))
            .values("total")[:1]
        )
        counts = scheme_wide_counts(user)
        schemes = Scheme.objects.order_by("pk").annotate(
            versions=Subquery(versions), last_admin_edit=LAST_EDIT, **counts
        )
        return schemes.values_list("pk", "versions", "last_admin_edit", *counts)

    picture = access.picture(user)
    return key("event log", picture, rows_of(("event log", picture), build))


def kept_event_log_page(
    *, user: Person, filters: EventFilters, wanted: PageRequest, query_id: str
) -> tuple[EventLogPage, list[TimelineRow]]:
    """`event_log_page` and its `timeline_rows`, kept in the pages cache under `log_state`, the
    search (`query_id`, the address's parameters but the page's) and the page asked for: one
    small query when kept instead of the total's two, the page's two and its corrections'."""

    def build() -> tuple[EventLogPage, list[TimelineRow]]:
        found = event_log_page(user=user, filters=filters, wanted=wanted, query_id=query_id)
        return found, timeline_rows(found.page.object_list, user=user)

    return kept(key(log_state(user=user), query_id, wanted), build)
