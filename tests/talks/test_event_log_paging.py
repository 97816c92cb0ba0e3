"""The event log's and country timeline's keyset paging (talks.selectors.paging): numbered pages,
next and previous by cursor, the last page, estimated totals, bad links, query counts."""

import re
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse

from talks.models import Classification, TalkEvent
from talks.selectors import event_log
from tests.factories import CandidacyFactory, add_event
from tests.talks.page_data import HX, load_demo, queries_for, with_events

URL = reverse("event_log")
SERBIA = reverse("country_detail", args=["serbia"])


@pytest.fixture
def demo(cleared_analyst):
    return load_demo(cleared_analyst)


def ids(response) -> list[int]:
    return [event.pk for event in response.context["page_obj"].object_list]


def link(response, rel: str) -> str | None:
    """The address of the page's rel="next" or rel="prev" link, as a browser would follow it."""
    found = re.search(rf'href="([^"]*)" rel="{rel}"', response.text)
    if not found:
        return None
    address = unescape(found.group(1))  # "?after=…", relative to the page
    return response.request["PATH_INFO"] + address if address.startswith("?") else address


def visible_in_order(viewer_sees_sensitive: bool = False) -> list[int]:
    events = TalkEvent.objects.order_by("-occurred_on", "-id")
    if not viewer_sees_sensitive:
        events = events.filter(classification=Classification.OFFICIAL)
    return list(events.values_list("pk", flat=True))


def walk(client, start: str, rel: str) -> list[list[int]]:
    pages, address = [], start
    while address:
        response = client.get(address)
        assert response.status_code == 200
        pages.append(ids(response))
        address = link(response, rel)
    return pages


def test_next_links_walk_every_visible_event_once_in_order(client, demo, viewer):
    with_events(130)
    client.force_login(viewer)
    pages = walk(client, URL, "next")
    assert [pk for page in pages for pk in page] == visible_in_order()
    assert all(len(page) == 25 for page in pages[:-1])


def test_previous_links_walk_back_from_the_last_page(client, demo, viewer):
    with_events(130)
    client.force_login(viewer)
    pages = walk(client, URL + "?page=last", "prev")
    assert [pk for page in reversed(pages) for pk in page] == visible_in_order()


def test_first_middle_and_last_pages(client, demo, viewer):
    with_events(130)
    client.force_login(viewer)
    everything = visible_in_order()
    assert ids(client.get(URL)) == everything[:25]
    middle = client.get(URL, {"page": 3})
    assert ids(middle) == everything[50:75]
    assert middle.context["page_obj"].start_index() == 51
    last = client.get(URL, {"page": "last"})
    assert ids(last) == everything[(len(everything) - 1) // 25 * 25 :]
    assert last.context["page_obj"].is_last
    assert link(last, "next") is None


def test_a_cursor_page_is_the_numbered_page_it_replaces(client, demo, viewer):
    with_events(130)
    client.force_login(viewer)
    second = client.get(link(client.get(URL), "next"))
    assert ids(second) == ids(client.get(URL, {"page": 2}))
    assert second.context["page_obj"].number == 2
    assert "showing 26 to 50" in second.text


def test_page_links_keep_the_filters_and_the_order(client, demo, viewer):
    with_events(200)
    client.force_login(viewer)
    query = {"country": "kosovo", "sort": "title", "order": "asc"}
    following = link(client.get(URL, query), "next")
    assert "country=kosovo" in following
    assert "sort=title" in following
    assert "order=asc" in following
    events = client.get(following).context["page_obj"].object_list
    assert {e.candidacy.country.slug for e in events} == {"kosovo"}
    titles = [e.title for e in events]
    assert titles == sorted(titles)


@pytest.mark.parametrize(
    "params",
    [
        {"after": "not-a-cursor"},
        {"before": "eyJrIjpbMV19:forged"},
        {"after": "x" * 3000},
    ],
)
def test_a_damaged_page_link_gives_a_clear_400_page(client, demo, viewer, params):
    client.force_login(viewer)
    response = client.get(URL, {"q": "Kosovo", **params})
    assert response.status_code == 400
    assert "This page link does not work" in response.text
    assert 'href="/events/?q=Kosovo"' in response.text  # back to the same search


def test_a_page_link_from_another_search_gives_a_400_page(client, demo, viewer):
    with_events(130)
    client.force_login(viewer)
    following = link(client.get(URL, {"sort": "title"}), "next")
    cursor = re.search(r"after=([^&]+)", following).group(1)
    response = client.get(f"{URL}?sort=country&after={cursor}")
    assert response.status_code == 400
    assert "belongs to another search" in response.text


def test_more_matches_than_the_exact_limit_are_estimated_on_postgresql(
    client, demo, viewer, monkeypatch
):
    monkeypatch.setattr(event_log, "RANK_LIMIT", 20)
    client.force_login(viewer)
    response = client.get(URL)
    total = response.context["page_obj"].total
    official = TalkEvent.objects.filter(classification=Classification.OFFICIAL).count()
    if connection.vendor == "postgresql":
        assert total.estimated
        assert total.value > 20
        assert "About " in response.text
    else:
        assert (total.value, total.estimated) == (official, False)
    assert len(ids(response)) == 25


def test_the_last_page_of_an_estimated_list_has_the_oldest_events(
    client, demo, viewer, monkeypatch
):
    monkeypatch.setattr(event_log, "RANK_LIMIT", 20)
    client.force_login(viewer)
    last = client.get(URL, {"page": "last"})
    assert ids(last)[-1] == visible_in_order()[-1]
    assert link(last, "prev")


@pytest.mark.postgres_only
def test_a_search_with_too_many_matches_to_rank_is_newest_first_and_says_so(
    client, viewer, analyst, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL's full-text search")
    monkeypatch.setattr(event_log, "RANK_LIMIT", 2)
    candidacy = CandidacyFactory()
    for day in (1, 2, 3):
        add_event(candidacy, analyst, title=f"Deportation report {day}", summary="deportation")
    client.force_login(viewer)
    response = client.get(URL, {"q": "deportation"})
    assert len(response.context["page_obj"].object_list) == 3
    dates = [e.occurred_on for e in response.context["page_obj"].object_list]
    assert dates == sorted(dates, reverse=True)
    assert "too many to rank by best match" in response.text


COUNTED = [URL, URL + "?page=3", URL + "?page=last", URL + "?q=Kosovo", URL + "?country=kosovo"]


def test_query_counts_are_the_same_at_100_and_3000_events_on_every_kind_of_page(
    client, demo, viewer, django_assert_max_num_queries
):
    client.force_login(viewer)
    with_events(100)
    small = [queries_for(client, url) for url in COUNTED]
    small_next = queries_for(client, link(client.get(URL), "next"))
    small_country = [queries_for(client, u) for u in (SERBIA, SERBIA + "?page=last")]
    with_events(3000)
    assert [queries_for(client, url) for url in COUNTED] == small
    assert queries_for(client, link(client.get(URL), "next")) == small_next
    assert [queries_for(client, u) for u in (SERBIA, SERBIA + "?page=last")] == small_country
    with django_assert_max_num_queries(16):
        client.get(URL + "?page=last", headers=HX)


def test_country_timeline_pages_by_cursor_to_its_oldest_event(client, demo, viewer):
    with_events(400)
    client.force_login(viewer)
    serbia = list(
        TalkEvent.objects.filter(
            classification=Classification.OFFICIAL, candidacy__country__slug="serbia"
        )
        .order_by("-occurred_on", "-id")
        .values_list("pk", flat=True)
    )
    pages = walk(client, SERBIA, "next")
    assert [pk for page in pages for pk in page] == serbia
    assert ids(client.get(SERBIA, {"page": "last"})) == pages[-1]


def test_country_timeline_with_a_damaged_link_gives_a_400_page(client, demo, viewer):
    client.force_login(viewer)
    response = client.get(SERBIA, {"after": "nonsense"})
    assert response.status_code == 400
    assert f'href="{SERBIA}"' in response.text
