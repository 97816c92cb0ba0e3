"""Reads for the country and scheme pages: a fixed number of queries whatever the data size.

Standing "today" comes from the candidacy's cached fields as the user may see them
(`talks.access.seen_status`: the full picture for cleared users, the OFFICIAL one otherwise).
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from countries.models import Country
from talks import access
from talks.models import Candidacy, Person, Scheme, TalkEvent
from talks.rules.dates import short_date_label
from talks.rules.statuses import DEFINITIONS
from talks.selectors.event_log import PAGE_RELATIONS, scheme_wide_counts
from talks.selectors.kept import LAST_EDIT, key, rows_of
from talks.selectors.status import status_events

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class LastEventFields(TypedDict):
    """What `with_last_event` adds: the latest event the user may see (None without one)."""

    last_event_id: int | None
    last_event_title: str
    last_event_on: datetime.date
    last_event_precision: str


@dataclass(frozen=True)
class Standing:
    """One candidacy as a user may see it today."""

    candidacy: Candidacy
    scheme: Scheme
    country: Country
    status: str
    since: datetime.date | None
    last_event: TalkEvent | None = None
    since_precision: str = "day"

    @property
    def definition(self) -> str:
        return DEFINITIONS.get(self.status, "No status-changing event has been recorded yet.")

    @property
    def since_label(self) -> str:
        """The date the status took effect, as precisely as the event that set it is dated."""
        return short_date_label(self.since, self.since_precision) if self.since else ""


def standing(
    candidacy: Candidacy, *, user: Person, last_event: TalkEvent | None = None
) -> Standing:
    """The candidacy's standing today as `user` sees it (talks.access)."""
    status = access.seen_status(user, candidacy)
    since = access.seen_since(user, candidacy)
    return Standing(
        candidacy=candidacy,
        scheme=candidacy.scheme,
        country=candidacy.country,
        status=status,
        since=since,
        last_event=last_event,
        since_precision=getattr(candidacy, "since_precision", None) or "day",
    )


def with_since_precision(
    candidacies: QuerySet[Candidacy], *, sensitive: bool
) -> QuerySet[Candidacy]:
    """Annotate each candidacy with the date precision of the event that set its status."""
    since = "status_since" if sensitive else "official_status_since"
    setter = (
        status_events(include_sensitive=sensitive)
        .filter(candidacy=OuterRef("pk"), occurred_on=OuterRef(since))
        .order_by("-id")
    )
    return candidacies.annotate(since_precision=Subquery(setter.values("precision")[:1]))


def visible_events(user: Person) -> QuerySet[TalkEvent]:
    """Events `user` may see, with what a timeline item shows joined in (its corrections come
    from `event_log.timeline_rows`, one query for the page)."""
    return access.visible_events(user).select_related(*PAGE_RELATIONS)


# Countries ---------------------------------------------------------------------------------

COUNTRY_SORTS = {
    "name": ["name"],
    "region": ["region", "name"],
    "eu_status": ["eu_status", "name"],
}


@dataclass(frozen=True)
class CountryRow:
    country: Country
    standings: list[Standing]


def country_rows(
    *, user: Person, sort: str = "name", descending: bool = False, include_all: bool = False
) -> list[CountryRow]:
    """Countries (candidates only unless `include_all`) with their standing in each scheme.

    Two queries.
    """
    countries = Country.objects.all()
    if not include_all:
        countries = countries.filter(pk__in=Candidacy.objects.values("country_id"))
    order = COUNTRY_SORTS.get(sort, COUNTRY_SORTS["name"])
    ordered = list(countries.order_by(*(f"-{f}" if descending else f for f in order)))
    by_country: dict[int, list[Standing]] = {country.pk: [] for country in ordered}
    candidacies = with_since_precision(
        Candidacy.objects.filter(country__in=by_country).select_related("scheme", "country"),
        sensitive=access.sees_sensitive(user),
    )
    for candidacy in candidacies.order_by("-scheme__announced_on", "scheme__name"):
        by_country[candidacy.country_id].append(standing(candidacy, user=user))
    return [CountryRow(country=c, standings=by_country[c.pk]) for c in ordered]


def country_profile(*, slug: str) -> Country | None:
    """The country with its neighbours (two queries), or None."""
    neighbours = Prefetch("neighbours", queryset=Country.objects.order_by("name"))
    return Country.objects.prefetch_related(neighbours).filter(slug=slug).first()


def country_standings(*, user: Person, country: Country) -> list[Standing]:
    """The country's standing in every scheme it is a candidate in, with the last event."""
    candidacies = with_last_event(
        Candidacy.objects.filter(country=country).select_related("scheme", "country"), user=user
    ).order_by("-scheme__announced_on", "scheme__name")
    return _standings(candidacies, user=user)


def country_timeline(*, user: Person, country: Country) -> QuerySet[TalkEvent]:
    """The country's events, newest first (scheme-wide events belong to the scheme pages)."""
    return visible_events(user).filter(candidacy__country=country).order_by("-occurred_on", "-id")


# Schemes -----------------------------------------------------------------------------------


def with_last_event(
    candidacies: QuerySet[Candidacy], *, user: Person
) -> "QuerySet[WithAnnotations[Candidacy, LastEventFields]]":
    """Annotate each candidacy with its latest event the user may see (still one query)."""
    latest = (
        access.visible_events(user)
        .effective()
        .filter(candidacy=OuterRef("pk"))
        .order_by("-occurred_on", "-id")
    )
    candidacies = with_since_precision(candidacies, sensitive=access.sees_sensitive(user))
    return candidacies.annotate(
        last_event_id=Subquery(latest.values("id")[:1]),
        last_event_title=Subquery(latest.values("title")[:1]),
        last_event_on=Subquery(latest.values("occurred_on")[:1]),
        last_event_precision=Subquery(latest.values("precision")[:1]),
    )


def _standings(
    candidacies: "QuerySet[WithAnnotations[Candidacy, LastEventFields]]", *, user: Person
) -> list[Standing]:
    rows = []
    for candidacy in candidacies:
        last = None
        if candidacy.last_event_id:
            last = TalkEvent(
                pk=candidacy.last_event_id,
                title=candidacy.last_event_title,
                occurred_on=candidacy.last_event_on,
                precision=candidacy.last_event_precision,
            )
        rows.append(standing(candidacy, user=user, last_event=last))
    return rows


def scheme_list(*, user: Person) -> list[tuple[Scheme, list[Standing]]]:
    """Every scheme with its candidacies' standing (two queries)."""
    candidacies = Prefetch(
        "candidacies",
        queryset=with_since_precision(
            Candidacy.objects.select_related("country", "scheme"),
            sensitive=access.sees_sensitive(user),
        ).order_by("country__name"),
    )
    schemes = Scheme.objects.select_related("sending_country").prefetch_related(candidacies)
    return [
        (scheme, [standing(c, user=user) for c in scheme.candidacies.all()]) for scheme in schemes
    ]


def scheme_detail(*, slug: str) -> Scheme | None:
    return Scheme.objects.select_related("sending_country").filter(slug=slug).first()


def scheme_shortlist(*, user: Person, scheme: Scheme) -> list[Standing]:
    candidacies = with_last_event(
        scheme.candidacies.select_related("scheme", "country"), user=user
    ).order_by("country__name")
    return _standings(candidacies, user=user)


def scheme_timeline(*, user: Person, scheme: Scheme) -> QuerySet[TalkEvent]:
    """All the scheme's events, scheme-wide ones (no candidacy) included, newest first."""
    return visible_events(user).filter(scheme=scheme).order_by("-occurred_on", "-id")


# Kept sections --------------------------------------------------------------------------------


def country_state(*, user: Person, country: Country, until: datetime.date) -> str:
    """A key for what the country page's standings, status strips and timeline show `user` on
    `until`: each of the country's candidacies with the version that grows with every write the
    reader can see (`access.version_field`: every event of the country belongs to one of them)
    and its scheme's names; the newest admin edit (sources, countries and schemes are edited
    there); the country's name; the date; the reader's picture. One small query. A write the
    reader can see changes it; a sensitive write leaves an uncleared reader's key as it was."""
    fields = ("scheme__name", "scheme__slug", "scheme__announced_on", "last_admin_edit")
    candidacies = Candidacy.objects.filter(country=country).annotate(last_admin_edit=LAST_EDIT)
    picture = access.picture(user)
    rows = rows_of(("country", picture, country.pk), lambda: _versions(candidacies, user, fields))
    return key("country", picture, country.pk, country.name, until, rows)


def scheme_state(*, user: Person, scheme: Scheme, until: datetime.date) -> str:
    """The same for the scheme page's shortlist, status over time and timeline: each
    candidacy's version the reader can see and its country's names; the scheme-wide events the
    reader can see, counted with their retractions and corrections (they belong to no
    candidacy: events are never deleted and change only by being retracted or corrected); the
    newest admin edit; the scheme's name and slug; the date; the reader's picture. Two small
    queries."""
    fields = ("country__name", "country__slug")
    candidacies = Candidacy.objects.filter(scheme=scheme)
    picture = access.picture(user)
    rows = rows_of(("scheme", picture, scheme.pk), lambda: _versions(candidacies, user, fields))

    def build() -> QuerySet[Scheme]:
        counts = scheme_wide_counts(user)
        schemes = Scheme.objects.filter(pk=scheme.pk).annotate(last_admin_edit=LAST_EDIT, **counts)
        return schemes.values_list("name", "slug", "last_admin_edit", *counts)

    state = rows_of(("scheme wide", picture, scheme.pk), build)
    return key("scheme", picture, scheme.pk, until, state, rows)


def _versions(
    candidacies: QuerySet[Candidacy], user: Person, fields: tuple[str, ...]
) -> QuerySet[Candidacy]:
    return candidacies.order_by("pk").values_list("pk", access.version_field(user), *fields)
