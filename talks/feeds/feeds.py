"""Atom feeds of talk events: per scheme, per country and per event-log search.

Feed readers cannot sign in, so each feed lives under its user's secret address. Feeds carry
OFFICIAL items only, whoever the address belongs to, and say so.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from countries.models import Country
from talks.api import reads
from talks.documents.xml_text import xml_safe
from talks.feeds.keys import user_for
from talks.forms.event_log import EventLogFilters
from talks.models import Scheme, TalkEvent
from talks.rules.dates import date_label
from talks.selectors.event_log import EventFilters

ITEMS = 50
EMPTY_FEED_UPDATED = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
MARKING = (
    "OFFICIAL items only: OFFICIAL-SENSITIVE items are never included in feeds, "
    "whoever the address belongs to."
)


class OfficialAtomFeed(Atom1Feed):
    """Atom, with an empty feed's <updated> fixed rather than "now", so that a feed's bytes
    depend only on its items (an empty feed must not differ from one emptied by a filter)."""

    def latest_post_date(self) -> datetime.datetime:
        if any(item.get("updateddate") or item.get("pubdate") for item in self.items):
            return super().latest_post_date()
        return EMPTY_FEED_UPDATED


class EventFeed(Feed):
    feed_type = OfficialAtomFeed
    author_name = "HubTracker"
    login_required = False  # the secret address stands in for a sign-in

    def __call__(self, request: HttpRequest, *args, token: str = "", **kwargs):
        if user_for(token) is None:
            raise Http404("No feed at this address (it may have been replaced by a new one).")
        return super().__call__(request, *args, **kwargs)

    def filters(self, obj: Any) -> EventFilters:
        """The event log's filters for the feed's object (a scheme, a country, a search)."""
        raise NotImplementedError

    def subtitle(self, obj: object) -> str:
        return MARKING

    def items(self, obj) -> list[TalkEvent]:
        return list(reads.feed_events(self.filters(obj))[:ITEMS])

    def item_title(self, item: TalkEvent) -> str:
        country = item.candidacy.country.name if item.candidacy else item.scheme.name
        state = "Retracted: " if item.is_retracted else "Corrected: " if item.is_superseded else ""
        title = f"{state}{date_label(item.occurred_on, item.precision)}, {country}: {item.title}"
        return xml_safe(title)

    def item_description(self, item: TalkEvent) -> str:
        parts = [item.summary]
        if item.quote:
            parts.append(f"“{item.quote}”" + (f" ({item.speaker})" if item.speaker else ""))
        if item.source:
            parts.append(f"Source: {item.source}")
        parts.append("Classification: OFFICIAL.")
        return xml_safe("\n\n".join(part for part in parts if part))

    def item_link(self, item: TalkEvent) -> str:
        if item.candidacy:
            page = reverse("country_detail", args=[item.candidacy.country.slug])
        else:
            page = reverse("scheme_detail", args=[item.scheme.slug])
        return f"{page}#event-{item.pk}"

    def item_pubdate(self, item: TalkEvent):
        return item.recorded_at

    def item_updateddate(self, item: TalkEvent):
        return item.retracted_at or item.recorded_at

    def item_categories(self, item: TalkEvent) -> list[str]:
        return [item.get_kind_display(), "OFFICIAL"]


class SchemeFeed(EventFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Scheme:
        return get_object_or_404(Scheme, slug=slug)

    def filters(self, obj: Scheme) -> EventFilters:
        return EventFilters(scheme=obj)

    def title(self, obj: Scheme) -> str:
        return xml_safe(f"{obj.name}: talk events (OFFICIAL)")

    def link(self, obj: Scheme) -> str:
        return reverse("scheme_detail", args=[obj.slug])


class CountryFeed(EventFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Country:
        return get_object_or_404(Country, slug=slug)

    def filters(self, obj: Country) -> EventFilters:
        return EventFilters(country=obj)

    def title(self, obj: Country) -> str:
        return xml_safe(f"{obj.name}: talk events in every scheme (OFFICIAL)")

    def link(self, obj: Country) -> str:
        return reverse("country_detail", args=[obj.slug])


@dataclass(frozen=True)
class Search:
    filters: EventFilters
    query: str


class SearchFeed(EventFeed):
    """The event log's search as a feed: its filters, its order (invalid filters are dropped,
    as on the page)."""

    def get_object(self, request: HttpRequest) -> Search:
        form = EventLogFilters(request.GET or None)
        form.is_valid()
        query = request.GET.copy()
        query.pop("page", None)
        return Search(filters=form.filters(), query=query.urlencode())

    def filters(self, obj: Search) -> EventFilters:
        return obj.filters

    def title(self, obj: Search) -> str:
        return "Event log search: talk events (OFFICIAL)"

    def link(self, obj: Search) -> str:
        return reverse("event_log") + (f"?{obj.query}" if obj.query else "")
