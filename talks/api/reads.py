"""What the API and the feeds read, each through the clearance rules the pages use.

Every read of talk data by the API goes through this module, so the clearance gate applies in
one place: events, sources and statuses are those the user (the token's owner) may see.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from countries.models import Country, MigrationRoute
from talks import access
from talks.models import Candidacy, Scheme, Source, TalkEvent
from talks.selectors.event_log import ROW_RELATIONS, EventFilters, filtered_events
from talks.selectors.status import candidacies_with_status_on

# Feeds carry OFFICIAL items only, whoever owns the address: they are read as nobody cleared.
UNCLEARED = AnonymousUser()


def events_for(user, filters: EventFilters) -> QuerySet[TalkEvent]:
    """The event log's query: the same rows, in the same order, for the same filters."""
    return filtered_events(user=user, filters=filters)


def event_for(user, pk: int) -> TalkEvent | None:
    return access.visible_events(user).select_related(*ROW_RELATIONS).filter(pk=pk).first()


def visible_event_ids(user, ids: set[int]) -> set[int]:
    """Which of `ids` the user may see (to name a correction only if the user may see it)."""
    if not ids:
        return set()
    return set(access.visible_events(user).filter(pk__in=ids).values_list("pk", flat=True))


def candidacies_for(
    user, *, on: datetime.date, scheme: Scheme | None = None, country: Country | None = None
) -> QuerySet[Candidacy]:
    """Candidacies with their status on `on` under the one status rule, as the user sees it."""
    candidacies = Candidacy.objects.select_related("scheme", "country")
    if scheme:
        candidacies = candidacies.filter(scheme=scheme)
    if country:
        candidacies = candidacies.filter(country=country)
    return candidacies_with_status_on(
        on=on, include_sensitive=access.sees_sensitive(user), candidacies=candidacies
    )


def sources_for(user) -> QuerySet[Source]:
    return access.visible_sources(user)


def schemes() -> QuerySet[Scheme]:
    return Scheme.objects.select_related("sending_country")


def countries() -> QuerySet[Country]:
    return Country.objects.all()


def routes() -> QuerySet[MigrationRoute]:
    return MigrationRoute.objects.prefetch_related("figures", "waypoints__country")


def feed_events(filters: EventFilters) -> QuerySet[TalkEvent]:
    """A feed's events: the event log's query as seen without clearance (OFFICIAL only)."""
    events = filtered_events(user=UNCLEARED, filters=filters)
    return access.events_in(access.OFFICIAL, events)
