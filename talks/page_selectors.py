"""Reads for the country and scheme pages: a fixed number of queries whatever the data size.

Standing "today" comes from the candidacy's cached fields: `status`/`status_since` for users
cleared for OFFICIAL-SENSITIVE, `official_status`/`official_status_since` for everyone else.
"""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from countries.models import Country
from talks.event_queries import ROW_RELATIONS
from talks.models import Candidacy, Scheme, TalkEvent
from talks.selectors import can_see_sensitive
from talks.statuses import DEFINITIONS


@dataclass(frozen=True)
class Standing:
    """One candidacy as a user may see it today."""

    candidacy: Candidacy
    scheme: Scheme
    country: Country
    status: str
    since: datetime.date | None
    last_event: TalkEvent | None = None

    @property
    def definition(self) -> str:
        return DEFINITIONS.get(self.status, "No status-changing event has been recorded yet.")


def standing(candidacy: Candidacy, *, sensitive: bool) -> Standing:
    status = candidacy.status if sensitive else candidacy.official_status
    since = candidacy.status_since if sensitive else candidacy.official_status_since
    return Standing(
        candidacy=candidacy,
        scheme=candidacy.scheme,
        country=candidacy.country,
        status=status,
        since=since,
        last_event=getattr(candidacy, "last_event", None),
    )


def visible_events(user) -> QuerySet[TalkEvent]:
    """Events `user` may see, with everything a timeline item shows joined in."""
    return TalkEvent.objects.visible_to(user).select_related(*ROW_RELATIONS)


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
    *, user, sort: str = "name", descending: bool = False, include_all: bool = False
) -> list[CountryRow]:
    """Countries (candidates only unless `include_all`) with their standing in each scheme.

    Two queries.
    """
    sensitive = can_see_sensitive(user)
    countries = Country.objects.all()
    if not include_all:
        countries = countries.filter(pk__in=Candidacy.objects.values("country_id"))
    order = COUNTRY_SORTS.get(sort, COUNTRY_SORTS["name"])
    countries = list(countries.order_by(*(f"-{f}" if descending else f for f in order)))
    by_country: dict[int, list[Standing]] = {country.pk: [] for country in countries}
    candidacies = Candidacy.objects.filter(country__in=by_country).select_related(
        "scheme", "country"
    )
    for candidacy in candidacies.order_by("-scheme__announced_on", "scheme__name"):
        by_country[candidacy.country_id].append(standing(candidacy, sensitive=sensitive))
    return [CountryRow(country=c, standings=by_country[c.pk]) for c in countries]


def country_profile(*, slug: str) -> Country | None:
    """The country with its neighbours (two queries), or None."""
    neighbours = Prefetch("neighbours", queryset=Country.objects.order_by("name"))
    return Country.objects.prefetch_related(neighbours).filter(slug=slug).first()


def country_standings(*, user, country: Country) -> list[Standing]:
    """The country's standing in every scheme it is a candidate in, with the last event."""
    candidacies = with_last_event(
        Candidacy.objects.filter(country=country).select_related("scheme", "country"), user=user
    ).order_by("-scheme__announced_on", "scheme__name")
    return _standings(candidacies, user=user)


def country_timeline(*, user, country: Country) -> QuerySet[TalkEvent]:
    """The country's events, newest first (scheme-wide events belong to the scheme pages)."""
    return visible_events(user).filter(candidacy__country=country).order_by("-occurred_on", "-id")


# Schemes -----------------------------------------------------------------------------------


def with_last_event(candidacies: QuerySet[Candidacy], *, user) -> QuerySet[Candidacy]:
    """Annotate each candidacy with its latest event the user may see (still one query)."""
    latest = (
        TalkEvent.objects.visible_to(user)
        .effective()
        .filter(candidacy=OuterRef("pk"))
        .order_by("-occurred_on", "-id")
    )
    return candidacies.annotate(
        last_event_id=Subquery(latest.values("id")[:1]),
        last_event_title=Subquery(latest.values("title")[:1]),
        last_event_on=Subquery(latest.values("occurred_on")[:1]),
        last_event_precision=Subquery(latest.values("precision")[:1]),
    )


def _standings(candidacies: QuerySet[Candidacy], *, user) -> list[Standing]:
    sensitive = can_see_sensitive(user)
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
        candidacy.last_event = last
        rows.append(standing(candidacy, sensitive=sensitive))
    return rows


def scheme_list(*, user) -> list[tuple[Scheme, list[Standing]]]:
    """Every scheme with its candidacies' standing (two queries)."""
    sensitive = can_see_sensitive(user)
    candidacies = Prefetch(
        "candidacies",
        queryset=Candidacy.objects.select_related("country", "scheme").order_by("country__name"),
    )
    schemes = Scheme.objects.select_related("sending_country").prefetch_related(candidacies)
    return [
        (scheme, [standing(c, sensitive=sensitive) for c in scheme.candidacies.all()])
        for scheme in schemes
    ]


def scheme_detail(*, slug: str) -> Scheme | None:
    return Scheme.objects.select_related("sending_country").filter(slug=slug).first()


def scheme_shortlist(*, user, scheme: Scheme) -> list[Standing]:
    candidacies = with_last_event(
        scheme.candidacies.select_related("scheme", "country"), user=user
    ).order_by("country__name")
    return _standings(candidacies, user=user)


def scheme_timeline(*, user, scheme: Scheme) -> QuerySet[TalkEvent]:
    """All the scheme's events, scheme-wide ones (no candidacy) included, newest first."""
    return visible_events(user).filter(scheme=scheme).order_by("-occurred_on", "-id")
