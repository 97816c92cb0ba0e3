import pytest
from django.core.cache import caches
from django.urls import reverse

from talks.models import Classification, Scheme
from talks.rules.statuses import Status
from tests.factories import CandidacyFactory, add_event
from tests.talks.page_data import (
    HX,
    MAX_QUERIES,
    load_demo,
    queries_for,
    with_events,
)

pytestmark = pytest.mark.django_db
LIST = reverse("scheme_list")
UK = reverse("scheme_detail", args=["uk-return-hubs-2025"])
EU = reverse("scheme_detail", args=["eu-return-hubs-working-group"])


@pytest.fixture
def demo(cleared_analyst):
    return load_demo(cleared_analyst)


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in [LIST, UK]:
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_scheme_list_shows_every_scheme_with_its_candidates(client, demo, viewer):
    text = get(client, viewer, LIST).text
    for scheme in Scheme.objects.all():
        assert f'href="{scheme.get_absolute_url()}"' in text
    assert "No host country named yet" in text  # the EU working group
    assert "ended 22 Jul 2024" in text  # UK-Rwanda


def test_scheme_page_describes_the_scheme(client, demo, viewer):
    text = get(client, viewer, UK).text
    assert "UK return hubs (2025)" in text
    assert "United Kingdom" in text
    assert "Return hub (after a final refusal)" in text
    assert "15 May 2025" in text
    assert "Still running" in text
    assert "The list had 9 countries, of which 6 are named here; 3 are not publicly known." in text


def test_scheme_shortlist_gives_status_since_and_last_event(client, demo, viewer):
    response = get(client, viewer, UK)
    rows = {s.country.slug: s for s in response.context["shortlist"]}
    assert set(rows) == {
        "kosovo",
        "serbia",
        "north-macedonia",
        "bosnia-and-herzegovina",
        "albania",
        "montenegro",
    }
    assert rows["kosovo"].status == Status.NEGOTIATING
    assert rows["serbia"].status == Status.SHORTLISTED
    assert rows["montenegro"].status == Status.REJECTED
    assert rows["kosovo"].last_event.title == "The Assembly re-elects Kurti as Prime Minister"
    assert "February 2026: The Assembly re-elects Kurti as Prime Minister" in response.text


def test_last_event_column_never_shows_a_sensitive_event_to_viewers(client, viewer, analyst):
    import datetime

    from tests.conftest import _user_in

    cleared = _user_in("Analysts", "cleared_for_last", cleared=True)
    candidacy = CandidacyFactory()
    add_event(candidacy, analyst, title="Public statement")
    add_event(
        candidacy,
        cleared,
        title="Private channel opened",
        occurred_on=datetime.date(2025, 7, 1),
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    url = candidacy.scheme.get_absolute_url()
    seen = get(client, viewer, url)
    assert seen.context["shortlist"][0].last_event.title == "Public statement"
    assert "Private channel opened" not in seen.text
    assert get(client, cleared, url).context["shortlist"][0].last_event.title == (
        "Private channel opened"
    )


def test_scheme_timeline_includes_scheme_wide_events(client, demo, viewer):
    response = get(client, viewer, UK)
    events = list(response.context["page_obj"].object_list)
    assert any(e.candidacy_id is None for e in events)
    assert "Scheme-wide" in response.text
    assert "Western Balkans summit at Lancaster House" in response.text


def test_scheme_without_candidates_shows_an_empty_state(client, demo, viewer):
    response = get(client, viewer, EU)
    assert response.status_code == 200
    assert "No host country has been named for this scheme yet." in response.text
    assert "No host country has been named." in response.text
    assert response.context["page_obj"].total.value >= 1  # its scheme-wide events


def test_scheme_without_any_events_says_so(client, viewer):
    scheme = CandidacyFactory().scheme
    text = get(client, viewer, scheme.get_absolute_url()).text
    assert "No events have been recorded for this scheme yet." in text
    assert "No events yet" in text


def test_scheme_timeline_hides_sensitive_events_from_viewers(client, viewer, analyst):
    from tests.conftest import _user_in

    cleared = _user_in("Analysts", "cleared_for_scheme", cleared=True)
    candidacy = CandidacyFactory()
    add_event(candidacy, analyst, title="Open meeting")
    add_event(
        candidacy, cleared, title="Closed meeting", classification=Classification.OFFICIAL_SENSITIVE
    )
    url = candidacy.scheme.get_absolute_url()
    assert "Closed meeting" not in get(client, viewer, url).text
    assert "Closed meeting" in get(client, cleared, url).text


def test_unknown_scheme_is_404(client, viewer):
    assert get(client, viewer, reverse("scheme_detail", args=["no-such-scheme"])).status_code == 404


def test_full_page_and_htmx_partials(client, demo, viewer):
    full = get(client, viewer, UK)
    assert "<html" in full.text and "HX-Request" in full["Vary"]
    timeline = client.get(UK, headers={**HX, "HX-Target": "scheme-timeline"})
    assert timeline.text.strip().startswith('<section id="scheme-timeline"')
    assert "<html" not in timeline.text
    shortlist = client.get(UK, headers={**HX, "HX-Target": "scheme-shortlist"})
    assert shortlist.text.strip().startswith('<section id="scheme-shortlist"')
    assert "Negotiating" in shortlist.text
    assert "HX-Request" in shortlist["Vary"]
    assert full.text.count('data-hx-trigger="events-changed from:body"') == 2


def test_scheme_pages_query_counts_are_the_same_at_100_and_10000_events(
    client, demo, viewer, django_assert_max_num_queries
):
    client.force_login(viewer)
    urls = [LIST, UK, UK + "?page=7", EU]
    with_events(100)
    small = [queries_for(client, url) for url in urls]
    with_events(10_000)
    # Measure the same visits: each page's first (the EU working group, without candidacies,
    # keeps the key of its shortlist whatever the number of events).
    caches["pages"].clear()
    assert [queries_for(client, url) for url in urls] == small
    with django_assert_max_num_queries(MAX_QUERIES + 2):  # 2 for the status-over-time chart
        assert client.get(UK).status_code == 200
