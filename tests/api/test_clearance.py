"""Non-interference for the API and the feeds: what an uncleared token or any feed address
answers does not change when OFFICIAL-SENSITIVE data exists (statuses, events, sources)."""

import datetime

import pytest
from django.urls import reverse

from talks.feeds.keys import feed_token
from talks.models import Classification
from talks.rules.statuses import Status
from tests.api.helpers import API, bearer, token_for
from tests.factories import CandidacyFactory, SourceFactory, add_event

pytestmark = pytest.mark.django_db

SENSITIVE = Classification.OFFICIAL_SENSITIVE
API_QUERIES = [
    "/schemes",
    "/schemes/uk",
    "/countries",
    "/countries/serbia",
    "/candidacies",
    "/candidacies?as_of=2025-06-30",
    "/candidacies?scheme=uk&as_of=2025-12-31",
    "/events",
    "/events?limit=2",
    "/events?sort=title&order=asc",
    "/events?sort=country",
    "/events?q=talks",
    "/events?scheme=uk&current_only=true",
    "/events?status=exploratory",
    "/events?country=serbia",
    "/sources",
    "/routes",
]


@pytest.fixture
def official_world(cleared_analyst):
    serbia = CandidacyFactory(country__name="Serbia", country__slug="serbia", scheme__slug="uk")
    kosovo = CandidacyFactory(scheme=serbia.scheme, country__name="Kosovo", country__slug="kosovo")
    source = SourceFactory(outlet="BBC")
    for candidacy in (serbia, kosovo):
        add_event(
            candidacy,
            cleared_analyst,
            occurred_on=datetime.date(2025, 5, 16),
            title="Talks open",
            new_status=Status.OPEN,
            source=source,
        )
    return serbia, kosovo


def add_sensitive_data(serbia, kosovo, analyst) -> None:
    secret_source = SourceFactory(outlet="Embassy telegram")
    add_event(
        serbia,
        analyst,
        occurred_on=datetime.date(2025, 6, 1),
        title="Talks move on quietly",
        new_status=Status.EXPLORATORY,
        classification=SENSITIVE,
        source=secret_source,
    )
    add_event(kosovo, analyst, title="Talks stall in private", classification=SENSITIVE)
    add_event(
        kosovo,
        analyst,
        occurred_on=datetime.date(2025, 12, 1),
        title="Kosovo exploratory talks",
        new_status=Status.EXPLORATORY,
        classification=SENSITIVE,
    )


def api_answers(client, token: str) -> dict[str, tuple[int, bytes, str]]:
    answers = {}
    for query in API_QUERIES:
        response = client.get(API + query, headers=bearer(token))
        answers[query] = (response.status_code, response.content, response.get("ETag", ""))
    return answers


def feed_answers(client, user) -> dict[str, bytes]:
    token = feed_token(user)
    urls = [
        reverse("feed_scheme", args=[token, "uk"]),
        reverse("feed_country", args=[token, "serbia"]),
        reverse("feed_events", args=[token]) + "?q=talks",
        reverse("feed_events", args=[token]) + "?status=exploratory",
    ]
    return {url: client.get(url).content for url in urls}


def test_an_uncleared_tokens_answers_do_not_change_when_sensitive_data_exists(
    client, official_world, viewer, cleared_analyst
):
    token = token_for(viewer)
    before = api_answers(client, token)
    add_sensitive_data(*official_world, cleared_analyst)
    assert api_answers(client, token) == before


def test_the_same_answers_change_for_a_cleared_token(client, official_world, cleared_analyst):
    """The check above can fail: with clearance the same queries do see the new data."""
    token = token_for(cleared_analyst)
    before = api_answers(client, token)
    add_sensitive_data(*official_world, cleared_analyst)
    after = api_answers(client, token)
    changed = {query for query in API_QUERIES if after[query] != before[query]}
    assert {"/events", "/candidacies", "/sources", "/events?status=exploratory"} <= changed


@pytest.mark.parametrize("who", ["viewer", "cleared_manager"])
def test_feeds_do_not_change_when_sensitive_data_exists_whoever_owns_them(
    client, official_world, cleared_analyst, request, who
):
    user = request.getfixturevalue(who)
    before = feed_answers(client, user)
    add_sensitive_data(*official_world, cleared_analyst)
    assert feed_answers(client, user) == before
