"""Followed pages: the follow button, and what changed since the last visit, on the page."""

import pytest
from django.test import override_settings
from django.urls import reverse

from talks.following import services
from talks.models import Classification
from tests.factories import CandidacyFactory, CountryFactory, add_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def kosovo():
    return CandidacyFactory(country=CountryFactory(name="Kosovo", slug="kosovo", code="XKX"))


def test_a_country_page_offers_to_follow_it(client, viewer, kosovo):
    client.force_login(viewer)
    html = client.get(reverse("country_detail", args=["kosovo"])).content.decode()
    assert "Follow Kosovo" in html


def test_the_next_visit_shows_what_changed_once(client, viewer, analyst, kosovo):
    services.follow(user=viewer, country=kosovo.country)
    add_event(kosovo, analyst, title="Kosovo confirms formal talks")
    client.force_login(viewer)
    first = client.get(reverse("country_detail", args=["kosovo"])).content.decode()
    assert "What changed since your last visit" in first
    assert "Kosovo confirms formal talks" in first and "Stop following" in first
    again = client.get(reverse("country_detail", args=["kosovo"])).content.decode()
    assert "What changed since your last visit" not in again


def test_paging_the_timeline_with_htmx_does_not_count_as_a_visit(client, viewer, analyst, kosovo):
    follow = services.follow(user=viewer, country=kosovo.country)
    add_event(kosovo, analyst, title="Kosovo confirms formal talks")
    client.force_login(viewer)
    client.get(reverse("country_detail", args=["kosovo"]), headers={"HX-Request": "true"})
    seen = follow.last_seen_at
    follow.refresh_from_db()
    assert follow.last_seen_at == seen


def test_an_uncleared_followers_page_is_the_same_with_or_without_sensitive_changes(
    client, viewer, cleared_analyst, kosovo
):
    services.follow(user=viewer, country=kosovo.country)
    client.force_login(viewer)
    url = reverse("country_detail", args=["kosovo"])
    client.get(url)
    before = client.get(url).content.decode()
    add_event(
        kosovo,
        cleared_analyst,
        title="Secret channel",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    after = client.get(url).content.decode()
    assert "What changed" not in after and "Secret channel" not in after
    following_page = client.get(reverse("following")).content.decode()
    assert "new</strong>" not in following_page
    assert before.count("timeline") == after.count("timeline")


def test_a_scheme_page_and_a_filtered_event_log_offer_to_follow(client, viewer, kosovo):
    client.force_login(viewer)
    scheme_html = client.get(reverse("scheme_detail", args=[kosovo.scheme.slug])).content.decode()
    assert f"Follow {kosovo.scheme.name}" in scheme_html
    log_html = client.get(reverse("event_log") + "?country=kosovo").content.decode()
    assert "Follow this search" in log_html
    assert "Follow this search" not in client.get(reverse("event_log")).content.decode()


@override_settings(JOBS_EXPORT_INLINE_MAX_ROWS=1)
def test_a_large_event_log_offers_background_exports_to_managers(client, manager, analyst, kosovo):
    add_event(kosovo, analyst, title="One")
    add_event(kosovo, analyst, title="Two")
    client.force_login(manager)
    html = client.get(reverse("event_log") + "?country=kosovo&page=1").content.decode()
    assert "Prepare CSV" in html and 'name="query" value="country=kosovo"' in html
    assert reverse("export_events", args=["csv"]) not in html
