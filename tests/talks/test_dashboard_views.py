"""The map dashboard at "/" and its country panel: full pages, htmx partials, bad input, secrecy."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talks.models import Candidacy, Classification, EventKind
from talks.rules.statuses import Status
from talks.selectors.dashboard import shortlist_rows
from talks.services.bulk import generate_bulk_events
from talks.services.demo import load_demo_data
from tests.factories import CandidacyFactory, SchemeFactory, add_event

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
MAY_16 = datetime.date(2025, 5, 16)
OCT_21 = datetime.date(2025, 10, 21)


@pytest.fixture
def scheme(cleared_analyst):
    """A small scheme: Kosovo open then exploratory; Serbia rejected, then a secret move."""
    scheme = SchemeFactory(slug="uk-return-hubs-2025", name="UK return hubs (2025)")
    kosovo = CandidacyFactory(
        scheme=scheme, country__name="Kosovo", country__code="XKX", country__slug="kosovo"
    )
    serbia = CandidacyFactory(
        scheme=scheme, country__name="Serbia", country__code="SRB", country__slug="serbia"
    )
    add_event(kosovo, cleared_analyst, occurred_on=MAY_16, new_status=Status.OPEN, title="Open")
    add_event(
        kosovo,
        cleared_analyst,
        occurred_on=OCT_21,
        new_status=Status.EXPLORATORY,
        title="Kurti: Kosovo wants to help the UK",
    )
    add_event(serbia, cleared_analyst, occurred_on=MAY_16, new_status=Status.REJECTED, title="No")
    add_event(
        serbia,
        cleared_analyst,
        occurred_on=datetime.date(2025, 11, 3),
        new_status=Status.OPEN,
        title="Secret approach from Belgrade",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    return scheme


def figure_of(response) -> dict:
    match = re.search(
        r'<script id="status-map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def coloured(figure) -> dict[str, str]:
    """Country code -> legend name (the status in words) of the trace that colours it."""
    return {
        code: trace["name"]
        for trace in figure["data"][1:]
        if trace["type"] == "choropleth"
        for code in trace["locations"]
    }


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_users_cannot_open_a_panel(client, scheme):
    response = client.get(reverse("dashboard_panel", args=["kosovo"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_dashboard_only_answers_get(client, viewer):
    client.force_login(viewer)
    assert client.post(reverse("dashboard")).status_code == 405


def test_full_page_shows_map_counts_table_legend_and_events(client, viewer, scheme):
    client.force_login(viewer)
    response = client.get(reverse("dashboard"), {"date": "2025-12-01"})
    assert response.status_code == 200
    assert "talks/dashboard.html" in [t.name for t in response.templates]
    assert "HX-Request" in response["Vary"]
    page = response.content.decode()
    assert "<html" in page
    assert 'id="status-map-plot"' in page and "plotly-geo.min.js" in page
    assert "vendor/plotly-topojson-4.1.1/" in page
    assert coloured(figure_of(response)) == {"XKX": "Exploratory talks", "SRB": "Rejected"}
    assert 'id="status-table"' in page and "Kurti: Kosovo wants to help the UK" in page
    assert "Countries by status" in page
    assert "Informal contacts between the governments are confirmed." in page  # legend
    assert 'data-hx-trigger="events-changed from:body"' in page
    assert "{#" not in page and "{%" not in page  # no template syntax leaks as text


def test_htmx_request_gets_the_results_region_and_the_forms_state_out_of_band(
    client, viewer, scheme
):
    client.force_login(viewer)
    response = client.get(reverse("dashboard"), {"date": "2025-06-01"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<div id="dashboard-results"')
    assert 'id="filter-state" data-hx-swap-oob="true"' in page
    assert coloured(figure_of(response)) == {"XKX": "Open to talks", "SRB": "Rejected"}
    assert "HX-Request" in response["Vary"]


def test_htmx_request_for_the_table_gets_only_the_table(client, viewer, scheme):
    client.force_login(viewer)
    headers = {**HTMX, "HX-Target": "status-table"}
    response = client.get(reverse("dashboard"), {"sort": "-country"}, headers=headers)
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="status-table"')
    assert "status-map-data" not in page
    assert page.index("Serbia") < page.index("Kosovo")


def test_history_restore_gets_the_full_page(client, viewer, scheme):
    client.force_login(viewer)
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    response = client.get(reverse("dashboard"), headers=headers)
    assert "<html" in response.content.decode()


def test_the_date_redraws_map_counts_and_table_through_the_status_rule(client, viewer, scheme):
    client.force_login(viewer)
    before = client.get(reverse("dashboard"), {"date": "2025-05-15"})
    june = client.get(reverse("dashboard"), {"date": "2025-06-01"})
    later = client.get(reverse("dashboard"), {"date": "2025-10-21"})
    assert coloured(figure_of(before)) == {"XKX": "No status recorded", "SRB": "No status recorded"}
    assert "No status had been recorded for any of these countries" in before.content.decode()
    assert coloured(figure_of(june))["XKX"] == "Open to talks"
    assert coloured(figure_of(later))["XKX"] == "Exploratory talks"
    kosovo_row = later.content.decode().split('data-country="XKX"')[1].split("</tr>")[0]
    assert "21 October 2025" in kosovo_row and "Exploratory talks" in kosovo_row


def test_today_matches_the_cached_statuses(viewer, cleared_analyst, today):
    load_demo_data(recorded_by=cleared_analyst)
    generate_bulk_events(events=500)
    for candidacy in Candidacy.objects.select_related("scheme"):
        for user, status, since in [
            (viewer, candidacy.official_status, candidacy.official_status_since),
            (cleared_analyst, candidacy.status, candidacy.status_since),
        ]:
            rows = shortlist_rows(scheme=candidacy.scheme, as_of=today, user=user)
            mine = next(r for r in rows if r.candidacy_id == candidacy.pk)
            assert (mine.status, mine.since) == (status, since)


def test_invalid_parameters_fall_back_with_messages_not_errors(client, viewer, scheme):
    client.force_login(viewer)
    response = client.get(
        reverse("dashboard"),
        {
            "scheme": "no-such-scheme",
            "date": "2025-13-45",
            "view": "moon",
            "year": "1066",
            "sort": "drop table",
            "country": "<script>",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem with the address" in page
    assert "There is no scheme called “no-such-scheme”" in page
    assert "Enter the date as a real date" in page
    assert "<script>" not in page.split("</header>")[1].split('<script id="status-map-data"')[0]
    assert coloured(figure_of(response)) == {"XKX": "Exploratory talks", "SRB": "Rejected"}


@pytest.mark.parametrize(
    "query",
    [
        {"date": "0001-01-01"},
        {"date": "9999-12-31"},
        {"date": ""},
        {"year": "abc"},
        {"scheme": ""},
        {"country": "nowhere"},
        {"date": "x" * 5000},
    ],
)
def test_odd_values_never_fail(client, viewer, scheme, query):
    client.force_login(viewer)
    assert client.get(reverse("dashboard"), query).status_code == 200
    assert client.get(reverse("dashboard"), query, headers=HTMX).status_code == 200


def test_a_scheme_without_candidacies_shows_an_empty_state(client, viewer, scheme):
    SchemeFactory(slug="eu-return-hubs-working-group", name="EU working group")
    client.force_login(viewer)
    response = client.get(reverse("dashboard"), {"scheme": "eu-return-hubs-working-group"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No countries are on the list of EU working group yet." in page
    assert coloured(figure_of(response)) == {}


def test_no_schemes_at_all_is_an_empty_state(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "No schemes have been recorded yet." in response.content.decode()


def test_the_table_sorts_by_status_and_says_so(client, viewer, scheme):
    client.force_login(viewer)
    response = client.get(reverse("dashboard"), {"sort": "-status", "date": "2025-12-01"})
    page = response.content.decode()
    table = page[page.index('id="status-table"') :]
    assert table.index("Serbia") < table.index("Kosovo")  # rejected comes after exploratory
    assert 'aria-sort="descending"' in table
    assert "sort=status" in table  # the heading now links to the other direction


def test_viewers_never_see_sensitive_events_statuses_or_counts(client, viewer, scheme):
    client.force_login(viewer)
    response = client.get(reverse("dashboard"), {"date": "2025-12-01"})
    page = response.content.decode()
    assert "Secret approach" not in page
    assert coloured(figure_of(response))["SRB"] == "Rejected"
    panel = client.get(
        reverse("dashboard_panel", args=["serbia"]), {"date": "2025-12-01"}, headers=HTMX
    )
    assert "Secret approach" not in panel.content.decode()
    assert "Rejected" in panel.content.decode()


def test_cleared_users_see_sensitive_items_marked(client, cleared_analyst, scheme):
    client.force_login(cleared_analyst)
    response = client.get(reverse("dashboard"), {"date": "2025-12-01"})
    page = response.content.decode()
    assert "Secret approach from Belgrade" in page
    assert "OFFICIAL-SENSITIVE" in page
    assert coloured(figure_of(response))["SRB"] == "Open to talks"


def test_the_panel_opens_in_place_for_htmx_and_pushes_a_reproducible_url(client, viewer, scheme):
    client.force_login(viewer)
    url = reverse("dashboard_panel", args=["kosovo"])
    response = client.get(url, {"date": "2025-12-01", "scheme": scheme.slug}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="country-panel"')
    assert "Exploratory talks" in page and "since 21 October 2025" in page
    assert "Kurti: Kosovo wants to help the UK" in page
    assert 'name="country" value="kosovo"' in page  # the form remembers the open panel
    pushed = response["HX-Push-Url"]
    assert pushed.startswith("/?") and "country=kosovo" in pushed and "date=2025-12-01" in pushed
    assert "HX-Request" in response["Vary"]


def test_the_panel_without_javascript_is_the_dashboard_with_the_panel_open(client, viewer, scheme):
    client.force_login(viewer)
    url = reverse("dashboard_panel", args=["kosovo"])
    response = client.get(url, {"date": "2025-12-01"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[0][0].endswith("country=kosovo#country-panel")
    assert "<html" in page
    section = page[page.index('<section id="country-panel"') :]
    assert "Kurti: Kosovo wants to help the UK" in section.split("</section>")[0]


def test_an_unknown_country_panel_is_404(client, viewer, scheme):
    client.force_login(viewer)
    url = reverse("dashboard_panel", args=["atlantis"])
    assert client.get(url).status_code == 404
    assert client.get(url, headers=HTMX).status_code == 404


def test_an_unknown_country_in_the_address_says_so(client, viewer, scheme):
    client.force_login(viewer)
    response = client.get(reverse("dashboard"), {"country": "atlantis"})
    assert "There is no country called “atlantis”" in response.content.decode()


def test_a_country_not_on_the_list_says_so(client, viewer, scheme):
    from tests.factories import CountryFactory

    CountryFactory(name="Croatia", code="HRV", slug="croatia")
    client.force_login(viewer)
    response = client.get(reverse("dashboard_panel", args=["croatia"]), headers=HTMX)
    assert "Croatia is not on the list of UK return hubs (2025)." in response.content.decode()


def test_upcoming_key_dates_are_the_events_after_the_date(client, viewer, scheme, cleared_analyst):
    add_event(
        scheme.candidacies.get(country__code="XKX"),
        cleared_analyst,
        occurred_on=datetime.date(2025, 12, 10),
        kind=EventKind.MILESTONE,
        title="Pristina summit",
    )
    client.force_login(viewer)
    page = client.get(reverse("dashboard"), {"date": "2025-12-01"}).content.decode()
    upcoming = page[page.index('id="upcoming-title"') :]
    assert "Pristina summit" in upcoming
    assert "Secret approach" not in upcoming
    latest = page[page.index('id="latest-title"') : page.index('id="upcoming-title"')]
    assert "Pristina summit" not in latest


def query_count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"), {"date": "2025-12-01", "country": "kosovo"})
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_small_and_the_same_with_100_or_10000_events(
    client, viewer, cleared_analyst, django_assert_max_num_queries
):
    """The first view of a scheme on a date works out its rows and event lines and draws the
    results region (16 queries: the route's years, then the route itself to draw it); the next
    one finds the region kept (9: one small query checks the versions and the latest writes
    instead of the status rule's and the three lists of events, and the route is not read)."""
    load_demo_data(recorded_by=cleared_analyst)
    client.force_login(viewer)
    generate_bulk_events(events=100)
    with django_assert_max_num_queries(16):
        small = query_count(client)
    small_kept = query_count(client)
    generate_bulk_events(events=9_900, seed=2)
    with django_assert_max_num_queries(16):
        large = query_count(client)
    with django_assert_max_num_queries(9):
        large_kept = query_count(client)
    assert small == large
    assert small_kept == large_kept == small - 7


def test_panel_query_count_does_not_grow_with_events(
    client, viewer, cleared_analyst, django_assert_max_num_queries
):
    load_demo_data(recorded_by=cleared_analyst)
    client.force_login(viewer)
    url = reverse("dashboard_panel", args=["kosovo"])
    generate_bulk_events(events=100)
    with CaptureQueriesContext(connection) as small:
        client.get(url, headers=HTMX)
    generate_bulk_events(events=5_000, seed=3)
    # 14 when the scheme's rows are worked out afresh (new versions): the versions check, then
    # the status rule's query; when kept, the versions check alone.
    with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as large:
        client.get(url, headers=HTMX)
    assert len(small) == len(large)
