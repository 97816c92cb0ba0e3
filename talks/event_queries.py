"""The event log's filters and its one query, shared by the page and the exports.

    form = EventLogFilters(request.GET)
    form.is_valid()                      # invalid fields are dropped, the valid ones still apply
    events = filtered_events(user=request.user, filters=form.filters())

`filtered_events` returns a lazy queryset of the events the user may see (OFFICIAL-SENSITIVE
only with `talks.view_sensitive`), filtered, searched and sorted, with everything a row shows
already joined. Search uses PostgreSQL's full-text search (ranked, websearch syntax, served by the
GIN index of migration 0003) and falls back to case-insensitive matching on other databases.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet

from countries.models import Country
from talks.models import Candidacy, EventKind, Scheme, TalkEvent
from talks.statuses import Status

SEARCH_CONFIG = "english"
SEARCH_FIELDS = ("title", "summary", "quote", "speaker")
MAX_QUERY_LENGTH = 200
# What an event row shows besides the event itself: joined in the same query.
ROW_RELATIONS = ("scheme", "candidacy__country", "source", "superseded_by", "supersedes")
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)


SORT_CHOICES = [
    ("", "Best match, else date"),
    ("date", "Date"),
    ("title", "Title"),
    ("country", "Country"),
]
ORDER_CHOICES = [("desc", "Descending (newest, Z to A)"), ("asc", "Ascending (oldest, A to Z)")]


def search_vector() -> SearchVector:
    """The document searched: title weighs most, then summary, then the quote and its speaker.

    Migration 0003 indexes exactly this expression; keep the two in step.
    """
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("quote", "speaker", weight="C", config=SEARCH_CONFIG)
    )


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


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]
DATE_HELP = "For example, 2025-05-15 or 15/05/2025"


class EventLogFilters(forms.Form):
    """The event log's GET parameters, validated. Errors name the field and say what to type."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        help_text='Words in the title, summary, quote or speaker. Use "quotes" for a phrase and '
        "-word to leave a word out.",
    )
    scheme = forms.ModelChoiceField(
        queryset=Scheme.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All schemes",
        error_messages={"invalid_choice": "Choose a scheme from the list."},
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.filter(pk__in=Candidacy.objects.values("country_id")).order_by(
            "name"
        ),
        to_field_name="slug",
        required=False,
        empty_label="All countries",
        error_messages={"invalid_choice": "Choose a country from the list."},
    )
    kind = forms.ChoiceField(
        label="Kind of event",
        choices=[("", "All kinds"), *EventKind.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a kind of event from the list."},
    )
    status = forms.ChoiceField(
        label="Status moved to",
        choices=[("", "Any or none"), *Status.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        input_formats=DATE_FORMATS,
        help_text=DATE_HELP,
        error_messages={"invalid": "Enter the start date as a real date, for example 2025-05-15."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        input_formats=DATE_FORMATS,
        help_text=DATE_HELP,
        error_messages={"invalid": "Enter the end date as a real date, for example 2025-12-31."},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=SORT_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Sort by date, title or country."},
    )
    order = forms.ChoiceField(
        label="Order",
        choices=ORDER_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose ascending or descending order."},
    )
    current_only = forms.BooleanField(label="Hide corrected and retracted events", required=False)

    def clean_date_from(self) -> datetime.date | None:
        return self._in_range("date_from")

    def clean_date_to(self) -> datetime.date | None:
        return self._in_range("date_to")

    def _in_range(self, name: str) -> datetime.date | None:
        value = self.cleaned_data.get(name)
        if value and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(f"Enter a date between {EARLIEST.year} and {LATEST.year}.")
        return value

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date.")
        return data

    def filters(self) -> EventFilters:
        """The valid part of what was asked for (call after is_valid()), with the errors."""
        data = getattr(self, "cleaned_data", {})
        errors = tuple(message for messages in self.errors.values() for message in messages)
        return EventFilters(
            errors=errors,
            scheme=data.get("scheme"),
            country=data.get("country"),
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
            sort=data.get("sort") or "",
            order=data.get("order") or "desc",
            current_only=bool(data.get("current_only")),
        )


def _apply_filters(events: QuerySet[TalkEvent], filters: EventFilters) -> QuerySet[TalkEvent]:
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


def _search(events: QuerySet[TalkEvent], text: str) -> QuerySet[TalkEvent]:
    if uses_full_text_search():
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        vector = search_vector()
        return events.annotate(search=vector, rank=SearchRank(vector, query)).filter(search=query)
    return _search_fallback(events, text)


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


def _ordering(filters: EventFilters, ranked: bool) -> list:
    """ORDER BY for the filters. Plain ASC/DESC on the NOT NULL columns, so PostgreSQL can walk
    the (occurred_on, id) index; only the country (NULL for scheme-wide events) says where NULLs
    go: last, both ways."""
    descending = filters.order != "asc"

    def by(name: str):
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


def sort_description(filters: EventFilters) -> str:
    """How the results are ordered, in words, for the page to say."""
    if filters.sort == "" and filters.q and uses_full_text_search():
        return "best match first"
    ascending = filters.order == "asc"
    if filters.sort == "title":
        return "title, A to Z" if ascending else "title, Z to A"
    if filters.sort == "country":
        return "country, A to Z" if ascending else "country, Z to A"
    return "date, oldest first" if ascending else "date, newest first"


def filtered_events(*, user, filters: EventFilters) -> QuerySet[TalkEvent]:
    """The events `user` may see that match `filters`, sorted, with their rows' relations joined."""
    events = TalkEvent.objects.visible_to(user)
    events = _apply_filters(events, filters)
    ranked = bool(filters.q) and uses_full_text_search()
    if filters.q:
        events = _search(events, filters.q)
    return events.select_related(*ROW_RELATIONS).order_by(*_ordering(filters, ranked))
