"""Atom feeds: they parse, carry OFFICIAL items only and say so, live under a secret address
that the user can replace, and the pages link to them."""

import re

import feedparser
import pytest
from django.urls import reverse

from talks.feeds.keys import feed_token, rotate
from talks.models import Classification, TalkEvent
from tests.factories import CandidacyFactory, add_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def serbia(cleared_analyst):
    candidacy = CandidacyFactory(
        country__name="Serbia", country__slug="serbia", scheme__slug="uk", scheme__name="UK hubs"
    )
    add_event(candidacy, cleared_analyst, title="Talks confirmed", quote="We are talking.")
    add_event(
        candidacy,
        cleared_analyst,
        title="Secret note on the talks",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    return candidacy


def feed_urls(user) -> dict[str, str]:
    token = feed_token(user)
    return {
        "scheme": reverse("feed_scheme", args=[token, "uk"]),
        "country": reverse("feed_country", args=[token, "serbia"]),
        "search": reverse("feed_events", args=[token]) + "?q=talks&kind=statement",
    }


@pytest.mark.parametrize("kind", ["scheme", "country", "search"])
@pytest.mark.parametrize("who", ["viewer", "cleared_manager"])
def test_every_feed_parses_and_has_official_items_only(client, serbia, request, kind, who):
    user = request.getfixturevalue(who)
    response = client.get(feed_urls(user)[kind])  # no sign-in: a feed reader
    parsed = feedparser.parse(response.content)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert [entry.title.split(": ", 1)[1] for entry in parsed.entries] == ["Talks confirmed"]
    assert "OFFICIAL items only" in parsed.feed.subtitle
    assert "OFFICIAL" in parsed.feed.title
    assert "Secret" not in response.content.decode()


def test_an_entry_links_to_its_page_and_quotes_its_source(client, serbia, viewer):
    entry = feedparser.parse(client.get(feed_urls(viewer)["country"]).content).entries[0]
    assert re.search(r"/countries/serbia/#event-\d+$", entry.link)
    assert "We are talking." in entry.summary


def test_a_rotated_address_stops_working_and_the_new_one_works(client, serbia, viewer):
    old = feed_urls(viewer)
    rotate(viewer)
    new = feed_urls(viewer)
    for kind in old:
        assert client.get(old[kind]).status_code == 404
        assert client.get(new[kind]).status_code == 200


def test_rotating_from_the_feed_page(client, serbia, viewer):
    client.force_login(viewer)
    old = feed_urls(viewer)["scheme"]
    assert old in client.get(reverse("feed_address")).content.decode()
    response = client.post(reverse("feed_rotate"))
    assert response.status_code == 302
    assert client.get(old).status_code == 404
    assert feed_urls(viewer)["scheme"] in client.get(reverse("feed_address")).content.decode()


@pytest.mark.parametrize(
    "token", ["nothing", "1-" + "0" * 48, "999999-" + "a" * 48, "-" * 60, "12345678901234567890-x"]
)
def test_a_made_up_address_is_not_found(client, serbia, token):
    assert client.get(reverse("feed_scheme", args=[token, "uk"])).status_code == 404


def test_one_users_address_does_not_open_with_anothers_nonce(client, serbia, viewer, manager):
    token = feed_token(viewer)
    forged = f"{manager.pk}-{token.split('-', 1)[1]}"
    assert client.get(reverse("feed_scheme", args=[forged, "uk"])).status_code == 404


def test_a_deactivated_users_feeds_stop(client, serbia, viewer):
    url = feed_urls(viewer)["scheme"]
    viewer.is_active = False
    viewer.save()
    assert client.get(url).status_code == 404


def test_rotating_needs_a_post_and_a_sign_in(client, viewer):
    assert client.post(reverse("feed_rotate")).status_code == 302  # to the sign-in page
    client.force_login(viewer)
    assert client.get(reverse("feed_rotate")).status_code == 405


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/schemes/uk/", "scheme"),
        ("/countries/serbia/", "country"),
        ("/events/?q=talks&kind=statement&page=1", "search"),
    ],
)
def test_pages_link_to_their_feed_for_discovery(client, serbia, viewer, url, feed):
    client.force_login(viewer)
    html = client.get(url).content.decode()
    link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', html).group(0)
    href = re.search(r'href="([^"]+)"', link).group(1).replace("&amp;", "&")
    assert href == "http://testserver" + feed_urls(viewer)[feed]
    assert "OFFICIAL items only" in link


def test_control_characters_in_an_event_do_not_break_the_feed(client, serbia, viewer):
    TalkEvent.objects.filter(title="Talks confirmed").update(
        title="Talks\x0b confirmed", summary="Pasted\x0c from Word\x1b"
    )
    parsed = feedparser.parse(client.get(feed_urls(viewer)["scheme"]).content)
    assert parsed.bozo == 0 and parsed.entries[0].title.endswith("Talks confirmed")
