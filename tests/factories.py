"""Factories and small helpers for building test data."""

import datetime

import factory
from django.contrib.auth import get_user_model

from countries.models import Country, Region
from talks.models import (
    Candidacy,
    Classification,
    DatePrecision,
    EventKind,
    Reliability,
    Scheme,
    SchemeModel,
    Source,
)
from talks.services.events import EventDetails, record_event

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Country {n}")
    slug = factory.Sequence(lambda n: f"country-{n}")
    code = factory.Sequence(lambda n: f"Q{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    region = Region.WESTERN_BALKANS


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    name = factory.Sequence(lambda n: f"Scheme {n}")
    slug = factory.Sequence(lambda n: f"scheme-{n}")
    sending_country = factory.SubFactory(
        CountryFactory, name="United Kingdom", slug="united-kingdom", code="GBR"
    )
    model = SchemeModel.RETURN_HUB
    announced_on = datetime.date(2025, 5, 15)


class CandidacyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidacy

    scheme = factory.SubFactory(SchemeFactory)
    country = factory.SubFactory(CountryFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    outlet = "LBC"
    title = factory.Sequence(lambda n: f"Report {n}")
    url = factory.Sequence(lambda n: f"https://example.org/report-{n}")
    published_on = datetime.date(2025, 5, 15)
    reliability = Reliability.B


def details(**overrides) -> EventDetails:
    """EventDetails with sensible defaults; override any field."""
    values = {
        "occurred_on": datetime.date(2025, 5, 16),
        "precision": DatePrecision.DAY,
        "kind": EventKind.STATEMENT,
        "title": "A statement",
        "summary": "What was said.",
        "classification": Classification.OFFICIAL,
    }
    values.update(overrides)
    return EventDetails(**values)


def add_event(candidacy: Candidacy, by, **overrides):
    """Record an event on `candidacy` through the service, with the current version."""
    candidacy.refresh_from_db()
    return record_event(
        scheme=candidacy.scheme,
        candidacy=candidacy,
        details=details(**overrides),
        by=by,
        expected_version=candidacy.version,
    )
