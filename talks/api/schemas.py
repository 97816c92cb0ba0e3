"""The API's response shapes (they become the OpenAPI schema) and how rows fill them."""

import datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from countries.models import Country, MigrationRoute
from talks import access
from talks.models import Candidacy, Scheme, Source, TalkEvent
from talks.rules.dates import date_label
from talks.selectors.status import RuleFields

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Error(Schema):
    """Every 4xx answer: what went wrong, and per parameter what to send instead."""

    error: str = Field(description="A short code, e.g. bad_parameter, not_found, rate_limited.")
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


class SchemeOut(Schema):
    slug: str
    name: str
    sending_country: str = Field(description="Slug of the sending state.")
    model: str
    announced_on: datetime.date | None
    ended_on: datetime.date | None
    summary: str
    shortlist_size: int | None
    page_url: str


class CountryOut(Schema):
    slug: str
    name: str
    code: str = Field(description="ISO 3166-1 alpha-3 (XKX for Kosovo).")
    region: str
    capital: str
    population: int | None
    population_year: int | None
    eu_status: str
    summary: str
    page_url: str


class CandidacyOut(Schema):
    id: int
    scheme: str
    country: str
    as_of: datetime.date
    status: str | None = Field(description="Status on as_of under the status rule; null if none.")
    status_since: datetime.date | None
    status_event_id: int | None = Field(description="The event that set the status.")


class SourceOut(Schema):
    id: int
    outlet: str
    title: str
    url: str
    published_on: datetime.date | None
    reliability: str
    reliability_note: str


class EventOut(Schema):
    id: int
    scheme: str
    country: str | None = Field(description="Null for a scheme-wide event.")
    occurred_on: datetime.date = Field(description="First day of the period (see precision).")
    precision: str
    date_label: str
    kind: str
    title: str
    summary: str
    quote: str
    speaker: str
    source_id: int | None
    new_status: str | None
    classification: str
    recorded_at: datetime.datetime
    retracted: bool
    retracted_at: datetime.datetime | None
    retraction_reason: str
    superseded: bool
    superseded_by: int | None = Field(description="The correction, if you may see it.")
    supersedes: int | None = Field(description="The corrected event, if you may see it.")


class RouteFigureOut(Schema):
    year: int
    count: int
    is_approximate: bool
    counted: str
    caveat: str
    source_name: str
    source_url: str
    note: str


class WaypointOut(Schema):
    position: int
    place: str
    country: str
    latitude: float
    longitude: float


class RouteOut(Schema):
    slug: str
    name: str
    description: str
    waypoints: list[WaypointOut]
    figures: list[RouteFigureOut]


class SchemeList(Schema):
    items: list[SchemeOut]
    next_cursor: str | None


class CountryList(Schema):
    items: list[CountryOut]
    next_cursor: str | None


class CandidacyList(Schema):
    items: list[CandidacyOut]
    next_cursor: str | None


class SourceList(Schema):
    items: list[SourceOut]
    next_cursor: str | None


class EventList(Schema):
    items: list[EventOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null at end.")


class RouteList(Schema):
    items: list[RouteOut]
    next_cursor: str | None


def scheme_out(scheme: Scheme) -> dict:
    return {
        "slug": scheme.slug,
        "name": scheme.name,
        "sending_country": scheme.sending_country.slug,
        "model": scheme.model,
        "announced_on": scheme.announced_on,
        "ended_on": scheme.ended_on,
        "summary": scheme.summary,
        "shortlist_size": scheme.shortlist_size,
        "page_url": reverse("scheme_detail", args=[scheme.slug]),
    }


def country_out(country: Country) -> dict:
    fields = ["slug", "name", "code", "region", "capital", "population", "population_year"]
    return {
        **{name: getattr(country, name) for name in fields},
        "eu_status": country.eu_status,
        "summary": country.summary,
        "page_url": reverse("country_detail", args=[country.slug]),
    }


def candidacy_out(candidacy: "WithAnnotations[Candidacy, RuleFields]", on: datetime.date) -> dict:
    return {
        "id": candidacy.pk,
        "scheme": candidacy.scheme.slug,
        "country": candidacy.country.slug,
        "as_of": on,
        "status": candidacy.rule_status or None,
        "status_since": candidacy.rule_since,
        "status_event_id": candidacy.rule_event_id,
    }


def source_out(source: Source) -> dict:
    fields = ["id", "outlet", "title", "url", "published_on", "reliability", "reliability_note"]
    return {name: getattr(source, name) for name in fields}


def _linked(event: TalkEvent | None, cleared: bool) -> int | None:
    if event is None or not (cleared or access.is_visible_event(event)):
        return None
    return event.pk


def event_out(event: TalkEvent, *, cleared: bool) -> dict:
    supersedes = getattr(event, "supersedes", None)
    return {
        "id": event.pk,
        "scheme": event.scheme.slug,
        "country": event.candidacy.country.slug if event.candidacy else None,
        "occurred_on": event.occurred_on,
        "precision": event.precision,
        "date_label": date_label(event.occurred_on, event.precision),
        **{name: getattr(event, name) for name in ["kind", "title", "summary", "quote"]},
        "speaker": event.speaker,
        "source_id": event.source_id,
        "new_status": event.new_status or None,
        "classification": event.classification,
        "recorded_at": event.recorded_at,
        "retracted": event.is_retracted,
        "retracted_at": event.retracted_at,
        "retraction_reason": event.retraction_reason,
        "superseded": event.is_superseded,
        "superseded_by": _linked(event.superseded_by, cleared),
        "supersedes": _linked(supersedes, cleared),
    }


def route_out(route: MigrationRoute) -> dict:
    return {
        "slug": route.slug,
        "name": route.name,
        "description": route.description,
        "waypoints": [
            {
                "position": w.position,
                "place": w.place,
                "country": w.country.slug,
                "latitude": w.latitude,
                "longitude": w.longitude,
            }
            for w in route.waypoints.all()
        ],
        "figures": [
            {name: getattr(f, name) for name in RouteFigureOut.model_fields}
            for f in route.figures.all()
        ],
    }
