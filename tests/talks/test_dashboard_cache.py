"""The dashboard keeps its shortlist and map figure between requests: a write shows at once, an
uncleared reader's kept figure holds nothing sensitive, and kept pages cost fewer queries."""

import datetime
import pickle

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from countries.models import MigrationRoute, RouteFigure
from talks.models import Classification
from talks.rules.statuses import Status, label
from talks.services.bulk import generate_bulk_events
from talks.services.demo import load_demo_data
from talks.services.events import correct_event, record_event, retract_event
from talks.views import dashboard as dashboard_views
from tests.factories import CountryFactory, SourceFactory, add_event, details
from tests.talks import test_dashboard_views
from tests.talks.test_dashboard_views import HTMX, coloured, figure_of

pytestmark = pytest.mark.django_db
scheme = test_dashboard_views.scheme  # the same small scheme (fixture)

DATE = {"date": "2025-12-01"}
SECRET = "Secret approach from Belgrade"


def kept_entries() -> dict[str, object]:
    """Every entry in the pages cache, unpickled, by key."""
    store = caches["pages"]._cache  # LocMemCache's own dict: key -> pickled value
    return {key: pickle.loads(value) for key, value in store.items()}


def table_row(page: str, country: str) -> str:
    start = page.index(f">{country}</a>")
    return page[start : page.index("</tr>", start)]


def test_a_recorded_status_change_shows_on_the_next_map(client, viewer, scheme, cleared_analyst):
    client.force_login(viewer)
    before = client.get(reverse("dashboard"), DATE)
    assert coloured(figure_of(before))["XKX"] == label(Status.EXPLORATORY)
    add_event(
        scheme.candidacies.get(country__code="XKX"),
        cleared_analyst,
        occurred_on=datetime.date(2025, 11, 20),
        new_status=Status.NEGOTIATING,
        title="Formal talks begin in Pristina",
    )
    after = client.get(reverse("dashboard"), DATE)
    assert coloured(figure_of(after))["XKX"] == label(Status.NEGOTIATING)
    row = table_row(after.content.decode(), "Kosovo")
    assert "Negotiating" in row and "Formal talks begin in Pristina" in row


def test_a_correction_and_a_retraction_show_at_once(client, viewer, scheme, cleared_analyst):
    kosovo = scheme.candidacies.get(country__code="XKX")
    latest = kosovo.events.get(title="Kurti: Kosovo wants to help the UK")
    client.force_login(viewer)
    client.get(reverse("dashboard"), DATE)
    kosovo.refresh_from_db()
    corrected = correct_event(
        event=latest,
        details=details(
            occurred_on=latest.occurred_on,
            new_status=Status.EXPLORATORY,
            title="Kurti: Kosovo is ready to talk to the UK",
        ),
        by=cleared_analyst,
        expected_version=kosovo.version,
    )
    page = client.get(reverse("dashboard"), DATE).content.decode()
    assert "Kosovo is ready to talk to the UK" in table_row(page, "Kosovo")
    kosovo.refresh_from_db()
    retract_event(
        event=corrected, reason="Misreported", by=cleared_analyst, expected_version=kosovo.version
    )
    after = client.get(reverse("dashboard"), DATE)
    assert coloured(figure_of(after))["XKX"] == label(Status.OPEN)
    assert "ready to talk" not in table_row(after.content.decode(), "Kosovo")


def test_an_uncleared_readers_kept_rows_and_figure_hold_nothing_sensitive(
    client, viewer, cleared_analyst, scheme
):
    client.force_login(cleared_analyst)  # the cleared reader's entries go in first
    cleared_page = client.get(reverse("dashboard"), {**DATE, "country": "serbia"})
    assert SECRET in cleared_page.content.decode()
    client.force_login(viewer)
    page = client.get(reverse("dashboard"), {**DATE, "country": "serbia"})
    assert SECRET not in page.content.decode()
    assert coloured(figure_of(client.get(reverse("dashboard"), DATE)))["SRB"] == label(
        Status.REJECTED
    )
    entries = kept_entries()
    official = [key for key in entries if ":official:" in key]
    assert official and any(":full:" in key for key in entries)
    for key in official:
        assert SECRET not in repr(entries[key])
        if key.startswith(":1:shortlist:"):  # the rows: Serbia as OFFICIAL events leave it
            serbia = next(row for row in entries[key] if row.country_code == "SRB")
            assert serbia.status == Status.REJECTED


def test_a_sensitive_write_leaves_an_uncleared_readers_map_as_it_was(
    client, viewer, cleared_analyst, scheme
):
    client.force_login(viewer)
    first = client.get(reverse("dashboard"), DATE)
    add_event(
        scheme.candidacies.get(country__code="XKX"),
        cleared_analyst,
        occurred_on=datetime.date(2025, 11, 25),
        new_status=Status.NEGOTIATING,
        title="Secret round in Pristina",
        classification=Classification.OFFICIAL_SENSITIVE,
    )
    with CaptureQueriesContext(connection) as queries:
        second = client.get(reverse("dashboard"), DATE)
    assert figure_of(second) == figure_of(first)
    assert "Secret round" not in second.content.decode()
    # The uncleared reader's key did not change, so the kept rows served the page.
    assert not any("rule_status" in q["sql"] for q in queries.captured_queries)
    client.force_login(cleared_analyst)
    cleared = client.get(reverse("dashboard"), DATE)
    assert coloured(figure_of(cleared))["XKX"] == label(Status.NEGOTIATING)


def test_a_changed_country_name_shows_at_once(client, viewer, scheme):
    client.force_login(viewer)
    client.get(reverse("dashboard"), DATE)
    country = scheme.candidacies.get(country__code="XKX").country
    country.name = "Kosova"
    country.save()
    page = client.get(reverse("dashboard"), DATE).content.decode()
    assert ">Kosova</a>" in page


def queries_for(client, url: str, params: dict, headers: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params, headers=headers)
    assert response.status_code == 200
    return len(queries)


# Query ceilings of each htmx region when it is kept (the second request): session, user, the
# user's permissions, schemes, the route's years (a kept region that draws the route does not read
# it again), the versions check, and the session's save (a savepoint, the update, its release).
PARTIALS = {
    "results (date or scheme changed)": ("dashboard", (), {}, 9),
    "status table (sorted)": ("dashboard", (), {"HX-Target": "status-table"}, 9),
    "country panel": ("dashboard_panel", ("kosovo",), {}, 9),
}


@pytest.mark.parametrize("name", PARTIALS)
def test_each_htmx_region_reads_only_what_it_shows_whatever_the_data_size(
    client, viewer, cleared_analyst, name, django_assert_max_num_queries
):
    url_name, args, headers, ceiling = PARTIALS[name]
    url, params = reverse(url_name, args=args), {**DATE, "country": "kosovo", "sort": "status"}
    load_demo_data(recorded_by=cleared_analyst)
    client.force_login(viewer)
    generate_bulk_events(events=100)
    queries_for(client, url, params, {**HTMX, **headers})
    small = queries_for(client, url, params, {**HTMX, **headers})
    generate_bulk_events(events=5_000, seed=3)
    queries_for(client, url, params, {**HTMX, **headers})
    with django_assert_max_num_queries(ceiling):
        large = queries_for(client, url, params, {**HTMX, **headers})
    assert small == large


def tables_read(client, url: str, params: dict, headers: dict) -> list[str]:
    """The SQL of each query a request makes."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params, headers=headers).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_sorted_table_reads_no_events_and_not_the_route_it_does_not_draw(
    client, viewer, scheme
):
    client.force_login(viewer)
    params, headers = {**DATE, "sort": "status"}, {**HTMX, "HX-Target": "status-table"}
    client.get(reverse("dashboard"), params, headers=headers)  # the rows are kept
    sql = tables_read(client, reverse("dashboard"), params, headers)
    assert not any('"talks_talkevent"' in q for q in sql)
    assert not any('"countries_routewaypoint"' in q for q in sql)
    assert sum('"countries_routefigure"' in q for q in sql) == 1  # the years, for the address


def test_the_country_panel_reads_its_countrys_events_only_and_not_the_country_again(
    client, viewer, scheme
):
    client.force_login(viewer)
    url = reverse("dashboard_panel", args=["kosovo"])
    sql = tables_read(client, url, DATE, HTMX)
    events = [q for q in sql if 'FROM "talks_talkevent"' in q]
    assert len(events) == 2  # the status rule for the rows, the country's latest events
    assert '"candidacy_id" =' in events[1]
    assert not any('FROM "countries_country" WHERE' in q for q in sql)
    assert not any('"countries_routewaypoint"' in q for q in sql)
    kept = tables_read(client, url, DATE, HTMX)
    assert not any('FROM "talks_talkevent"' in q for q in kept)


def test_kept_event_lines_serve_the_next_page_without_reading_events(client, viewer, scheme):
    client.force_login(viewer)
    first = client.get(reverse("dashboard"), {**DATE, "country": "kosovo"})
    sql = tables_read(client, reverse("dashboard"), {**DATE, "country": "kosovo"}, {})
    assert not any('FROM "talks_talkevent"' in q for q in sql)
    second = client.get(reverse("dashboard"), {**DATE, "country": "kosovo"})
    assert second.content.count(b"app-events__item") == first.content.count(b"app-events__item")


def test_a_scheme_wide_event_and_its_retraction_show_at_once(
    client, viewer, scheme, cleared_analyst
):
    client.force_login(viewer)
    client.get(reverse("dashboard"), DATE)
    event = record_event(
        scheme=scheme,
        candidacy=None,
        details=details(occurred_on=datetime.date(2025, 11, 30), title="Ministers meet in London"),
        by=cleared_analyst,
        expected_version=None,
    )
    assert "Ministers meet in London" in client.get(reverse("dashboard"), DATE).content.decode()
    retract_event(event=event, reason="Did not happen", by=cleared_analyst, expected_version=None)
    assert "Ministers meet" not in client.get(reverse("dashboard"), DATE).content.decode()


def test_a_source_edited_in_the_admin_shows_at_once(client, viewer, scheme, cleared_analyst):
    kosovo = scheme.candidacies.get(country__code="XKX")
    source = SourceFactory(outlet="Radio Pristina")
    add_event(kosovo, cleared_analyst, occurred_on=datetime.date(2025, 11, 29), source=source)
    client.force_login(viewer)
    params = {**DATE, "country": "kosovo"}
    assert "Source: Radio Pristina" in client.get(reverse("dashboard"), params).content.decode()
    source.outlet = "Radio Kosova"
    source.save()
    LogEntry.objects.log_actions(
        user_id=cleared_analyst.pk, queryset=[source], action_flag=CHANGE, change_message="Outlet"
    )
    page = client.get(reverse("dashboard"), params).content.decode()
    assert "Source: Radio Kosova" in page and "Radio Pristina" not in page


def rendered_regions(monkeypatch) -> list[str]:
    """The template parts the dashboard's views render from now on, by name."""
    names: list[str] = []
    real = dashboard_views.render_to_string

    def render(name, *args, **kwargs):
        names.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(dashboard_views, "render_to_string", render)
    return names


def test_a_kept_status_table_is_sent_without_rendering_it_again(
    client, viewer, scheme, monkeypatch
):
    client.force_login(viewer)
    params, headers = {**DATE, "sort": "status"}, {**HTMX, "HX-Target": "status-table"}
    first = client.get(reverse("dashboard"), params, headers=headers)
    rendered = rendered_regions(monkeypatch)
    second = client.get(reverse("dashboard"), params, headers=headers)
    assert second.content == first.content
    assert rendered == ["talks/dashboard.html#filter-state"]


def test_the_kept_table_follows_the_schemes_name_and_the_readers_downloads(
    client, viewer, manager, scheme
):
    client.force_login(viewer)
    headers = {**HTMX, "HX-Target": "status-table"}
    assert (
        "Download this table"
        not in client.get(reverse("dashboard"), DATE, headers=headers).content.decode()
    )
    scheme.name = "UK return hubs (renamed)"
    scheme.save()
    page = client.get(reverse("dashboard"), DATE).content.decode()
    assert "Status of each country in UK return hubs (renamed)" in page
    client.force_login(manager)
    table = client.get(reverse("dashboard"), DATE, headers=headers).content.decode()
    assert "Download this table" in table


def test_kept_results_are_sent_without_rendering_or_reading_the_route_again(
    client, viewer, scheme, monkeypatch
):
    client.force_login(viewer)
    first = client.get(reverse("dashboard"), DATE, headers=HTMX)
    rendered = rendered_regions(monkeypatch)
    sql = tables_read(client, reverse("dashboard"), DATE, HTMX)
    assert rendered == ["talks/dashboard.html#filter-state"]
    assert not any('"countries_routewaypoint"' in q for q in sql)
    assert not any('FROM "talks_talkevent"' in q for q in sql)
    assert client.get(reverse("dashboard"), DATE, headers=HTMX).content == first.content
    page = client.get(reverse("dashboard"), DATE).content.decode()
    assert first.content.decode().split('<div id="filter-state"')[0].strip() in page


def test_a_kept_country_panel_is_sent_without_rendering_it_again(
    client, viewer, scheme, monkeypatch
):
    client.force_login(viewer)
    url = reverse("dashboard_panel", args=["kosovo"])
    first = client.get(url, DATE, headers=HTMX)
    rendered = rendered_regions(monkeypatch)
    second = client.get(url, DATE, headers=HTMX)
    assert second.content == first.content
    assert rendered == ["talks/dashboard.html#filter-state"]


def route_with_a_figure(year: int, count: int) -> RouteFigure:
    route = MigrationRoute.objects.create(name="Western Balkans route", slug="western-balkans")
    return RouteFigure.objects.create(
        route=route, year=year, count=count, counted="Detections", source_name="Frontex"
    )


def test_a_route_figure_edited_in_the_admin_shows_at_once(client, viewer, scheme, cleared_analyst):
    figure = route_with_a_figure(2024, 21_000)
    client.force_login(viewer)
    assert "21,000 detections in 2024" in client.get(reverse("dashboard"), DATE).content.decode()
    figure.count = 22_500
    figure.save()
    LogEntry.objects.log_actions(
        user_id=cleared_analyst.pk, queryset=[figure], action_flag=CHANGE, change_message="Count"
    )
    page = client.get(reverse("dashboard"), DATE, headers=HTMX).content.decode()
    assert "22,500 detections in 2024" in page and "21,000" not in page


def test_a_new_route_year_shows_at_once(client, viewer, scheme):
    figure = route_with_a_figure(2024, 21_000)
    client.force_login(viewer)
    client.get(reverse("dashboard"), DATE)
    RouteFigure.objects.create(
        route=figure.route, year=2025, count=9_000, counted="Detections", source_name="Frontex"
    )
    page = client.get(reverse("dashboard"), DATE).content.decode()
    assert "9,000 detections in 2025" in page
    assert '<option value="2025" selected>2025</option>' in page


def test_the_kept_results_follow_the_readers_permissions_and_address(
    client, viewer, analyst, scheme
):
    params = {**DATE, "country": "kosovo"}
    client.force_login(viewer)
    assert (
        "Add an event for Kosovo" not in client.get(reverse("dashboard"), params).content.decode()
    )
    client.force_login(analyst)
    page = client.get(reverse("dashboard"), params).content.decode()
    assert "Add an event for Kosovo" in page
    assert "next=/%3Fdate%3D2025-12-01%26country%3Dkosovo" in page
    sorted_page = client.get(reverse("dashboard"), {**params, "sort": "status"}).content.decode()
    assert "next=/%3Fdate%3D2025-12-01%26country%3Dkosovo%26sort%3Dstatus" in sorted_page
    url = reverse("dashboard_panel", args=["kosovo"])
    panel = client.get(url, DATE, headers=HTMX).content.decode()
    assert f"next={url}%3Fdate%3D2025-12-01" in panel
    client.force_login(viewer)
    assert "Add an event" not in client.get(url, DATE, headers=HTMX).content.decode()


def test_the_kept_results_mark_today_only_on_the_day(client, viewer, scheme, today, monkeypatch):
    params = {"date": today.isoformat()}
    client.force_login(viewer)
    assert "(today)" in client.get(reverse("dashboard"), params, headers=HTMX).content.decode()
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(dashboard_views.timezone, "localdate", lambda: tomorrow)
    page = client.get(reverse("dashboard"), params, headers=HTMX).content.decode()
    assert "(today)" not in page


def test_a_country_off_the_list_shows_as_it_now_is(client, viewer, scheme):
    country = CountryFactory(name="Croatia", code="HRV", slug="croatia")
    client.force_login(viewer)
    params = {**DATE, "country": "croatia"}
    assert "Croatia is not on the list" in client.get(reverse("dashboard"), params).content.decode()
    country.name = "Hrvatska"
    country.save()
    for headers in ({}, HTMX):
        page = client.get(reverse("dashboard"), params, headers=headers).content.decode()
        assert "Hrvatska is not on the list" in page
    panel = client.get(reverse("dashboard_panel", args=["croatia"]), DATE, headers=HTMX)
    assert "Hrvatska is not on the list" in panel.content.decode()
