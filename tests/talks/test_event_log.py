import datetime

import pytest
from django.db import connection
from django.urls import reverse

from talks.forms.event_log import EventLogFilters
from talks.models import Classification, EventKind, TalkEvent
from talks.rules.statuses import Status
from talks.selectors.event_log import EventFilters, filtered_events
from tests.factories import CandidacyFactory, SourceFactory, add_event
from tests.talks.page_data import (
    HX,
    MAX_QUERIES,
    SENSITIVE_TITLE,
    load_demo,
    queries_for,
    with_events,
)

pytestmark = pytest.mark.django_db
URL = reverse("event_log")


@pytest.fixture
def demo(cleared_analyst):
    return load_demo(cleared_analyst)


def titles(response) -> list[str]:
    return [event.title for event in response.context["page_obj"].object_list]


def log(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


# Access and visibility ---------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_viewer_sees_official_events_but_never_sensitive_ones(client, demo, viewer):
    response = log(client, viewer)
    pages = -(-response.context["page_obj"].total.value // 25)
    seen = [
        title for page in range(1, pages + 1) for title in titles(log(client, viewer, page=page))
    ]
    assert "Osmani: Kosovo would be open to discussing it" in seen
    assert SENSITIVE_TITLE not in seen
    assert SENSITIVE_TITLE not in response.text
    official = TalkEvent.objects.filter(classification=Classification.OFFICIAL).count()
    assert response.context["page_obj"].total.value == official


def test_sensitive_events_stay_hidden_from_a_viewers_search(client, demo, viewer):
    response = log(client, viewer, q="Skopje Times")
    assert SENSITIVE_TITLE not in titles(response)
    assert SENSITIVE_TITLE not in response.text


def test_cleared_user_sees_sensitive_events_with_their_marking(client, demo):
    response = log(client, demo, q="Skopje Times")
    assert SENSITIVE_TITLE in titles(response)
    assert "OFFICIAL-SENSITIVE" in response.text
    assert response.context["page_obj"].total.value == len(titles(response))


def test_the_shared_query_hides_sensitive_events_from_users_without_clearance(demo, viewer):
    seen = filtered_events(user=viewer, filters=EventFilters())
    assert not seen.filter(classification=Classification.OFFICIAL_SENSITIVE).exists()
    assert filtered_events(user=demo, filters=EventFilters()).count() == TalkEvent.objects.count()


# Filters -----------------------------------------------------------------------------------


def test_filter_by_scheme(client, demo, viewer):
    response = log(client, viewer, scheme="italy-albania-protocol")
    events = response.context["page_obj"].object_list
    assert events and {e.scheme.slug for e in events} == {"italy-albania-protocol"}


def test_filter_by_country(client, demo, viewer):
    response = log(client, viewer, country="kosovo")
    events = response.context["page_obj"].object_list
    assert events and {e.candidacy.country.slug for e in events} == {"kosovo"}
    assert "Denmark and Kosovo announce 300 prison places in Gjilan" in titles(response)


def test_filter_by_kind(client, demo, viewer):
    response = log(client, viewer, kind=EventKind.COURT_RULING)
    kinds = {e.kind for e in response.context["page_obj"].object_list}
    assert kinds == {EventKind.COURT_RULING}


def test_filter_by_the_status_an_event_moved_to(client, demo, viewer):
    response = log(client, viewer, status=Status.REJECTED)
    events = response.context["page_obj"].object_list
    assert events and {e.new_status for e in events} == {Status.REJECTED}


def test_filter_by_date_range_includes_both_ends(client, demo, viewer):
    response = log(client, viewer, date_from="2025-10-21", date_to="21/10/2025")
    dates = {e.occurred_on for e in response.context["page_obj"].object_list}
    assert dates == {datetime.date(2025, 10, 21)}


def test_filters_combine(client, demo, viewer):
    response = log(client, viewer, scheme="uk-return-hubs-2025", country="kosovo", status="open")
    assert titles(response) == ["Osmani: Kosovo would be open to discussing it"]


def test_hiding_corrected_and_retracted_events(client, demo, cleared_analyst):
    from talks.services.events import retract_event

    event = TalkEvent.objects.get(title="Kurti meets UK envoy Karen Pierce in Pristina")
    retract_event(
        event=event,
        reason="Wrong envoy",
        by=cleared_analyst,
        expected_version=event.candidacy.version,
    )
    assert event.title in titles(log(client, cleared_analyst, country="kosovo"))
    hidden = log(client, cleared_analyst, country="kosovo", current_only="on")
    assert event.title not in titles(hidden)


# Search (runs on SQLite and on PostgreSQL) -------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Osmani", "Osmani: Kosovo would be open to discussing it"),  # title
        ("steadfast ally", "Osmani: Kosovo would be open to discussing it"),  # summary
        ("friendly and political duty", "Kurti: Kosovo wants to help the UK"),  # quote
        ("Vjosa", "Osmani: Kosovo would be open to discussing it"),  # speaker
        ("gjilan", "Denmark and Kosovo announce 300 prison places in Gjilan"),  # any case
    ],
)
def test_search_finds_words_in_title_summary_quote_and_speaker(
    client, demo, viewer, query, expected
):
    assert expected in titles(log(client, viewer, q=query))


def test_search_with_every_word_required(client, demo, viewer):
    found = titles(log(client, viewer, q="Kurti Pierce"))
    assert found == ["Kurti meets UK envoy Karen Pierce in Pristina"]


def test_search_leaves_out_words_after_a_minus(client, demo, viewer):
    found = titles(log(client, viewer, q="Kurti -Pierce"))
    assert "Kurti meets UK envoy Karen Pierce in Pristina" not in found
    assert "Kurti: Kosovo wants to help the UK" in found


def test_search_without_matches_says_so(client, demo, viewer):
    response = log(client, viewer, q="zzzyzzy")
    assert response.context["page_obj"].total.value == 0
    assert "No events match" in response.text
    assert "zzzyzzy" in response.text


def test_search_combines_with_filters(client, demo, viewer):
    found = titles(log(client, viewer, q="Kosovo", scheme="denmark-kosovo-prison-places"))
    assert found
    assert {e.scheme.slug for e in TalkEvent.objects.filter(title__in=found)} == {
        "denmark-kosovo-prison-places"
    }
    assert "Osmani: Kosovo would be open to discussing it" not in found


@pytest.mark.postgres_only
def test_full_text_search_ranks_title_matches_first_and_stems_words(client, viewer, analyst):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search")
    candidacy = CandidacyFactory()
    add_event(candidacy, analyst, title="Weather report", summary="Talks on deportations stalled")
    add_event(candidacy, analyst, title="Deportation flights planned", summary="No detail")
    found = titles(log(client, viewer, q="deportation"))
    assert found == ["Deportation flights planned", "Weather report"]


@pytest.mark.postgres_only
def test_full_text_search_uses_the_gin_index(demo, viewer, analyst):
    """A rare word is found through the stored vector's GIN index, the visibility filter beside."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search")
    with_events(3000)
    add_event(CandidacyFactory(), analyst, title="Zanzibar delegation visits")
    events = filtered_events(user=viewer, filters=EventFilters(q="Zanzibar"))
    with connection.cursor() as cursor:
        # What autovacuum does: statistics, and new rows moved from the GIN index's pending list.
        cursor.execute("ANALYZE talks_talkevent")
        cursor.execute("SELECT gin_clean_pending_list('event_search_vector_idx')")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table is read whole otherwise
        plan = events.explain()
    assert "event_search_vector_idx" in plan, plan
    assert "official" in plan  # the gate's filter, in the same scan
    assert [e.title for e in events] == ["Zanzibar delegation visits"]


# Sorting and pagination --------------------------------------------------------------------


def test_default_order_is_newest_first(client, demo, viewer):
    events = log(client, viewer).context["page_obj"].object_list
    dates = [e.occurred_on for e in events]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("date", lambda e: e.occurred_on),
        ("title", lambda e: e.title),
        ("country", lambda e: e.candidacy.country.name if e.candidacy else "\uffff"),
    ],
)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_sorting(client, demo, viewer, sort, key, order):
    events = list(log(client, viewer, sort=sort, order=order).context["page_obj"].object_list)
    values = [key(e) for e in events]
    if sort == "country" and order == "desc":
        # Scheme-wide events (no country) come last both ways.
        named = [v for v in values if v != "\uffff"]
        assert named == sorted(named, reverse=True)
        assert values[len(named) :] == ["\uffff"] * (len(values) - len(named))
    elif sort == "title":
        assert values == sorted(values, reverse=order == "desc")
    else:
        assert values == sorted(values, reverse=order == "desc")


def test_pagination_pages_through_all_events(client, demo, viewer):
    total = TalkEvent.objects.filter(classification=Classification.OFFICIAL).count()
    first = log(client, viewer)
    second = log(client, viewer, page=2)
    assert len(titles(first)) == 25
    assert len(titles(second)) == min(total - 25, 25)
    assert not set(first.context["page_obj"].object_list) & set(
        second.context["page_obj"].object_list
    )
    assert 'class="govuk-pagination"' in first.text
    assert 'aria-current="page"' in first.text


def test_pagination_links_keep_the_filters(client, demo, viewer):
    response = log(client, viewer, kind="", sort="title", order="asc")
    assert "?sort=title&amp;order=asc&amp;page=2" in response.text  # empty fields left out


@pytest.mark.parametrize("page", ["abc", "0", "-1", "9999", "1.5", ""])
def test_odd_page_numbers_give_a_page_not_an_error(client, demo, viewer, page):
    response = log(client, viewer, page=page)
    assert response.status_code == 200
    assert titles(response)


# Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "yesterday"}, "Enter the start date as a real date"),
        ({"date_to": "2025-02-30"}, "Enter the end date as a real date"),
        ({"date_from": "1066-10-14"}, "Enter a date between 1900 and 2100."),
        ({"date_from": "2025-06-01", "date_to": "2025-05-01"}, "must be the same as or after"),
        ({"scheme": "no-such-scheme"}, "Choose a scheme from the list."),
        ({"country": "atlantis"}, "Choose a country from the list."),
        ({"kind": "rumour"}, "Choose a kind of event from the list."),
        ({"status": "maybe"}, "Choose a status from the list."),
        ({"sort": "colour"}, "Sort by date, title or country."),
        ({"order": "sideways"}, "Choose ascending or descending order."),
        ({"q": "x" * 201}, "at most 200 characters"),
    ],
)
def test_invalid_filters_give_a_clear_message_not_an_error(client, demo, viewer, params, message):
    response = log(client, viewer, **params)
    assert response.status_code == 200
    assert "There is a problem with the filters" in response.text
    assert message in response.text
    assert response.context["page_obj"].total.value > 0  # the valid filters still apply


def test_invalid_filter_is_dropped_and_the_valid_ones_still_apply(client, demo, viewer):
    response = log(client, viewer, country="kosovo", date_from="nonsense")
    events = response.context["page_obj"].object_list
    assert events and {e.candidacy.country.slug for e in events} == {"kosovo"}


def test_form_filters_are_empty_without_parameters():
    form = EventLogFilters(None)
    assert not form.is_valid()
    assert form.filters() == EventFilters()


def test_managers_get_download_links_for_exactly_these_events(client, demo, manager, viewer):
    text = log(client, manager, country="kosovo", kind="", page="1").text
    assert 'href="/exports/events.csv?country=kosovo"' in text
    assert 'href="/exports/events.xlsx?country=kosovo"' in text
    assert "/exports/events.csv" not in log(client, viewer, country="kosovo").text


def test_repeated_and_unknown_parameters_are_harmless(client, demo, viewer):
    client.force_login(viewer)
    response = client.get(URL + "?scheme=uk-return-hubs-2025&scheme=nope&utm=x")
    assert response.status_code == 200


# htmx --------------------------------------------------------------------------------------


def test_full_page_without_htmx(client, demo, viewer):
    client.force_login(viewer)
    response = client.get(URL, {"q": "Kosovo"})
    assert "<html" in response.text
    assert 'id="event-results"' in response.text
    assert "Apply filters" in response.text
    assert "HX-Request" in response["Vary"]


def test_htmx_request_gets_only_the_results(client, demo, viewer):
    client.force_login(viewer)
    response = client.get(URL, {"q": "Kosovo"}, headers={**HX, "HX-Target": "event-results"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.strip().startswith('<div id="event-results"')
    assert "Apply filters" not in response.text
    assert "HX-Request" in response["Vary"]
    assert "Osmani: Kosovo would be open to discussing it" in response.text


def test_filter_form_requests_push_a_tidy_address(client, demo, viewer):
    client.force_login(viewer)
    params = {"q": "Kosovo", "scheme": "", "country": "", "kind": "", "order": "desc"}
    response = client.get(URL, params, headers={**HX, "HX-Trigger": "event-filters"})
    assert response["HX-Push-Url"] == "/events/?q=Kosovo&order=desc"
    refresh = client.get(URL, params, headers={**HX, "HX-Trigger": "event-results"})
    assert "HX-Push-Url" not in refresh


def test_htmx_errors_appear_in_the_results(client, demo, viewer):
    client.force_login(viewer)
    response = client.get(URL, {"date_from": "nope"}, headers=HX)
    assert "There is a problem with the filters" in response.text


def test_history_restore_gets_the_whole_page(client, demo, viewer):
    client.force_login(viewer)
    headers = {**HX, "HX-History-Restore-Request": "true"}
    assert "<html" in client.get(URL, headers=headers).text


def test_results_refresh_themselves_after_changes_with_the_current_filters(client, demo, viewer):
    client.force_login(viewer)
    response = client.get(URL, {"q": "Kosovo", "page": "1"}, headers=HX)
    assert 'data-hx-trigger="events-changed from:body"' in response.text
    assert 'data-hx-get="/events/?q=Kosovo&amp;page=1"' in response.text


def test_form_pushes_its_url_and_shows_loading_feedback(client, demo, viewer):
    client.force_login(viewer)
    page = client.get(URL).text
    assert 'data-hx-push-url="true"' in page
    assert 'class="govuk-body htmx-indicator app-loading"' in page


def test_post_is_not_allowed(client, viewer):
    client.force_login(viewer)
    assert client.post(URL).status_code == 405


# Escaping ----------------------------------------------------------------------------------

NASTY = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_typed_into_event_fields_comes_back_escaped(client, analyst, viewer):
    candidacy = CandidacyFactory()
    source = SourceFactory(outlet=NASTY, title=NASTY, url="javascript:alert(1)")
    add_event(
        candidacy,
        analyst,
        title=f"T {NASTY}",
        summary=f"S {NASTY}",
        quote=f"Q {NASTY}",
        speaker=f"P {NASTY}",
        source=source,
    )
    client.force_login(viewer)
    for url in [
        URL,
        URL + "?q=alert",
        reverse("country_detail", args=[candidacy.country.slug]),
        reverse("scheme_detail", args=[candidacy.scheme.slug]),
    ]:
        text = client.get(url).text
        assert "<script>alert" not in text, url
        assert "<img src=x" not in text, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text, url
        assert 'href="javascript:' not in text, url


# Query counts ------------------------------------------------------------------------------


COUNTED_URLS = [
    URL,
    URL + "?q=Kosovo+talks&sort=title",
    URL + "?scheme=uk-return-hubs-2025&country=kosovo&page=3",
    URL + "?date_from=2020-01-01&kind=meeting&order=asc&page=2",
]


def test_event_log_query_count_is_the_same_at_100_and_10000_events(
    client, demo, viewer, django_assert_max_num_queries
):
    client.force_login(viewer)
    with_events(100)
    small = [queries_for(client, url) for url in COUNTED_URLS]
    small_htmx = queries_for(client, URL + "?page=2", headers=HX)
    with_events(10_000)
    assert TalkEvent.objects.count() == 10_000
    large = [queries_for(client, url) for url in COUNTED_URLS]
    assert small == large
    assert queries_for(client, URL + "?page=2", headers=HX) == small_htmx
    # One more than the other pages' ceiling on PostgreSQL: the page's visible corrections and
    # originals are read in a query of their own (talks.selectors.event_log.timeline_rows),
    # instead of two self-joins that tripled the planning of the query that reads the rows.
    with django_assert_max_num_queries(MAX_QUERIES + 1):
        assert client.get(COUNTED_URLS[1]).status_code == 200
