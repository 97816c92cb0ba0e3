"""Following countries, schemes and searches; what changed since the last visit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from talks.following import selectors, services
from talks.following.models import Follow, FollowKind
from talks.models import Classification
from tests.factories import CandidacyFactory, CountryFactory, add_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def kosovo_candidacy():
    return CandidacyFactory(country=CountryFactory(name="Kosovo", slug="kosovo", code="XKX"))


def test_following_a_country_from_its_page_lists_it_on_the_following_page(
    client, viewer, kosovo_candidacy
):
    client.force_login(viewer)
    response = client.post(
        reverse("follow_add"),
        {"kind": "country", "country": "kosovo", "next": "/countries/kosovo/"},
    )
    assert response.status_code == 302 and response["Location"] == "/countries/kosovo/"
    page = client.get(reverse("following"))
    assert page.status_code == 200
    assert "Kosovo" in page.content.decode()
    assert Follow.objects.filter(user=viewer, kind=FollowKind.COUNTRY).count() == 1


def test_following_twice_keeps_one_follow(viewer, kosovo_candidacy):
    country = kosovo_candidacy.country
    first = services.follow(user=viewer, country=country)
    second = services.follow(user=viewer, country=country)
    assert first.pk == second.pk


def test_follow_button_with_htmx_answers_with_the_button_only(client, viewer, kosovo_candidacy):
    client.force_login(viewer)
    response = client.post(
        reverse("follow_add"),
        {"kind": "country", "country": "kosovo"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="follow-button"')
    assert "Stop following" in html and "<html" not in html


def test_following_an_unknown_country_is_a_404_and_saves_nothing(client, viewer):
    client.force_login(viewer)
    response = client.post(reverse("follow_add"), {"kind": "country", "country": "atlantis"})
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_stop_following_removes_only_your_own_follow(client, viewer, analyst, kosovo_candidacy):
    mine = services.follow(user=viewer, country=kosovo_candidacy.country)
    client.force_login(analyst)
    assert client.post(reverse("follow_stop", args=[mine.pk])).status_code == 404
    client.force_login(viewer)
    assert client.post(reverse("follow_stop", args=[mine.pk])).status_code == 302
    assert not Follow.objects.exists()


def test_the_following_page_needs_a_login(client):
    response = client.get(reverse("following"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_saved_search_is_one_follow_whatever_the_order_of_its_parameters(
    viewer, kosovo_candidacy
):
    from django.http import QueryDict

    first = services.follow(user=viewer, search=QueryDict("q=talks&kind=meeting&page=3"))
    second = services.follow(user=viewer, search=QueryDict("kind=meeting&q=talks"))
    assert first.pk == second.pk
    assert first.search == "kind=meeting&q=talks"
    assert "talks" in first.label


def test_a_visit_shows_what_changed_since_the_last_one_then_nothing(
    viewer, analyst, kosovo_candidacy
):
    follow = services.follow(user=viewer, country=kosovo_candidacy.country)
    add_event(kosovo_candidacy, analyst, title="Kosovo confirms formal talks")
    first = services.note_visit(user=viewer, follow=follow)
    assert [change.event.title for change in first.changes] == ["Kosovo confirms formal talks"]
    follow.refresh_from_db()
    assert services.note_visit(user=viewer, follow=follow).total == 0


def test_sensitive_changes_do_not_exist_for_an_uncleared_follower(
    viewer, cleared_analyst, kosovo_candidacy
):
    follow = services.follow(user=viewer, country=kosovo_candidacy.country)
    add_event(
        kosovo_candidacy,
        cleared_analyst,
        title="Secret channel",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    changes = services.note_visit(user=viewer, follow=follow)
    assert changes.total == 0
    assert selectors.change_counts(user=viewer, follows=[follow]) == {follow.pk: 0}


def test_a_cleared_follower_sees_sensitive_changes_on_the_site(cleared_analyst, kosovo_candidacy):
    follow = services.follow(user=cleared_analyst, country=kosovo_candidacy.country)
    add_event(
        kosovo_candidacy,
        cleared_analyst,
        title="Secret channel",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    assert selectors.change_counts(user=cleared_analyst, follows=[follow]) == {follow.pk: 1}
    changes = services.note_visit(user=cleared_analyst, follow=follow)
    assert [c.event.title for c in changes.changes] == ["Secret channel"]


def test_a_retraction_counts_as_a_change(viewer, analyst, kosovo_candidacy):
    from talks.services.events import retract_event

    event = add_event(kosovo_candidacy, analyst, title="Premature report")
    follow = services.follow(user=viewer, country=kosovo_candidacy.country)
    Follow.objects.filter(pk=follow.pk).update(
        last_seen_at=timezone.now() + datetime.timedelta(microseconds=1)
    )
    follow.refresh_from_db()
    kosovo_candidacy.refresh_from_db()
    retract_event(
        event=event, reason="Denied", by=analyst, expected_version=kosovo_candidacy.version
    )
    changes = services.note_visit(user=viewer, follow=follow)
    assert [(c.what, c.event.title) for c in changes.changes] == [("Retracted", "Premature report")]


def _following_page_queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("following"))  # the first visit creates the digest settings
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("following")).status_code == 200
    return len(queries)


def test_the_following_page_costs_the_same_queries_for_one_or_many_follows(client, viewer):
    candidacies = [CandidacyFactory() for _ in range(6)]
    services.follow(user=viewer, country=candidacies[0].country)
    one = _following_page_queries(client, viewer)
    for candidacy in candidacies[1:]:
        services.follow(user=viewer, country=candidacy.country)
    services.follow(user=viewer, scheme=candidacies[0].scheme)
    assert _following_page_queries(client, viewer) == one


def test_choosing_a_daily_digest_is_saved(client, viewer):
    client.force_login(viewer)
    response = client.post(reverse("following"), {"frequency": "daily"})
    assert response.status_code == 302
    assert services.digest_settings_for(viewer).frequency == "daily"


def test_a_bad_frequency_says_what_to_choose_and_saves_nothing(client, viewer):
    client.force_login(viewer)
    response = client.post(reverse("following"), {"frequency": "hourly"})
    assert response.status_code == 400
    assert "Choose daily, weekly or never." in response.content.decode()
    assert services.digest_settings_for(viewer).frequency == "off"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "planet"},
        {"kind": "search", "search": ""},
        {"kind": "search", "search": "page=2"},
        {"kind": "search", "search": "q=" + "x" * 700},
    ],
)
def test_following_nothing_or_nonsense_is_a_clear_400_and_saves_nothing(client, viewer, data):
    client.force_login(viewer)
    response = client.post(reverse("follow_add"), data)
    assert response.status_code == 400
    assert not Follow.objects.exists()


def test_a_declassified_correction_is_new_to_an_uncleared_follower(
    viewer, cleared_analyst, kosovo_candidacy
):
    from talks.services.events import correct_event
    from tests.factories import details

    secret = add_event(
        kosovo_candidacy,
        cleared_analyst,
        title="Secret channel",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    viewer_follow = services.follow(user=viewer, country=kosovo_candidacy.country)
    cleared_follow = services.follow(user=cleared_analyst, country=kosovo_candidacy.country)
    kosovo_candidacy.refresh_from_db()
    correct_event(
        event=secret,
        details=details(title="Talks made public"),
        by=cleared_analyst,
        expected_version=kosovo_candidacy.version,
    )
    seen = services.note_visit(user=viewer, follow=viewer_follow)
    assert [(c.what, c.event.title) for c in seen.changes] == [("New", "Talks made public")]
    cleared = services.note_visit(user=cleared_analyst, follow=cleared_follow)
    assert ("Correction", "Talks made public") in [(c.what, c.event.title) for c in cleared.changes]
