import datetime
import io
import re
import socket

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from talks.documents.briefings import render_docx, render_pdf
from talks.documents.static_map import render_status_map, svg_to_png
from talks.models import ExportLog
from talks.rules.statuses import COLOURS, Status
from talks.selectors.briefings import BriefingRequest, MapCountry, build_briefing
from tests.factories import CandidacyFactory, CountryFactory, SchemeFactory, add_event
from tests.talks.briefing_data import AS_OF, SECRET, SINCE, BriefingData, make_scheme_data

COUNTRIES = ["Kosovo", "Serbia", "Montenegro"]
CHANGES = ["Kurti: Kosovo wants to help the UK", "Spajić: yes, for €10bn of railways"]


@pytest.fixture
def scheme_data(db) -> BriefingData:
    return make_scheme_data()


def _query(scheme, *, as_of=AS_OF, since=SINCE, sensitive=False) -> dict:
    query = {
        "schemes": [scheme.pk],
        "as_of_day": as_of.day,
        "as_of_month": as_of.month,
        "as_of_year": as_of.year,
        "changes_since_day": since.day,
        "changes_since_month": since.month,
        "changes_since_year": since.year,
    }
    if sensitive:
        query["include_sensitive"] = "on"
    return query


def _build(scheme, user, *, sensitive=False):
    request = BriefingRequest(
        schemes=[scheme], as_of=AS_OF, changes_since=SINCE, include_sensitive=sensitive
    )
    return build_briefing(request=request, user=user, now=timezone.localtime())


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the briefing tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# -- The builder -------------------------------------------------------------------------------


def test_briefing_uses_the_status_rule_on_the_as_of_date(scheme_data, manager):
    briefing = _build(scheme_data.scheme, manager)
    statuses = {c.name: c.status for c in briefing.schemes[0].countries}
    assert statuses == {"Kosovo": "exploratory", "Montenegro": "open", "Serbia": "shortlisted"}
    assert briefing.marking == "OFFICIAL"


def test_briefing_lists_status_moves_and_events_since_the_chosen_date(scheme_data, manager):
    section = _build(scheme_data.scheme, manager).schemes[0]
    moves = {(m.country, m.before, m.after) for m in section.moves}
    assert moves == {("Kosovo", "open", "exploratory"), ("Montenegro", "", "open")}
    assert {e.title for e in section.window_events} == set(CHANGES)


def test_briefing_without_clearance_has_no_sensitive_item(scheme_data, cleared_manager):
    briefing = _build(scheme_data.scheme, cleared_manager, sensitive=False)
    titles = [e.title for c in briefing.schemes[0].countries for e in c.events]
    assert SECRET not in titles
    assert briefing.marking == "OFFICIAL"


def test_cleared_manager_who_asks_gets_sensitive_items_and_marking(scheme_data, cleared_manager):
    briefing = _build(scheme_data.scheme, cleared_manager, sensitive=True)
    serbia = next(c for c in briefing.schemes[0].countries if c.name == "Serbia")
    assert serbia.status == Status.NEGOTIATING
    assert SECRET in [e.title for e in serbia.events]
    assert briefing.marking == "OFFICIAL-SENSITIVE"


def test_builder_refuses_sensitive_material_to_a_user_without_clearance(scheme_data, manager):
    with pytest.raises(PermissionDenied):
        _build(scheme_data.scheme, manager, sensitive=True)


def test_builder_refuses_a_user_without_the_export_permission(scheme_data, analyst):
    with pytest.raises(PermissionDenied):
        _build(scheme_data.scheme, analyst)


def test_sources_are_numbered_in_order_of_first_citation(scheme_data, manager):
    briefing = _build(scheme_data.scheme, manager)
    assert [ref.number for ref in briefing.sources] == [1, 2]
    cited = {e.source_ref for s in briefing.schemes for e in s.window_events}
    assert cited <= {1, 2}


@pytest.mark.parametrize("extra_countries", [0, 12])
def test_builder_runs_a_fixed_number_of_queries(
    scheme_data, cleared_manager, django_assert_max_num_queries, extra_countries
):
    recorder = scheme_data.kosovo.events.first().recorded_by
    for n in range(extra_countries):
        candidacy = CandidacyFactory(scheme=scheme_data.scheme, country=CountryFactory())
        for day in range(1, 4):
            add_event(candidacy, recorder, occurred_on=datetime.date(2025, 10, day), title=f"E{n}")
    cleared_manager.has_perm("talks.view_sensitive")  # warm the permission cache
    with django_assert_max_num_queries(8):  # 6 for the facts, 2 for the status-over-time chart
        briefing = _build(scheme_data.scheme, cleared_manager, sensitive=True)
    assert len(briefing.schemes[0].countries) == 3 + extra_countries


# -- The static map ------------------------------------------------------------------------------


def test_static_map_draws_kosovo_in_its_status_colour_without_network(monkeypatch):
    _no_network(monkeypatch)
    svg = render_status_map(
        [MapCountry("XKX", "Kosovo", Status.EXPLORATORY), MapCountry("SRB", "Serbia", "")],
        caption="Test map",
    )
    kosovo = re.search(r'<path id="country-XKX"[^>]*>', svg).group(0)
    assert f'fill="{COLOURS[Status.EXPLORATORY]}"' in kosovo
    assert "Exploratory talks (1)" in svg and "No status recorded (1)" in svg
    assert svg_to_png(svg, width=400).startswith(b"\x89PNG")


def test_static_map_fits_countries_outside_the_balkans():
    svg = render_status_map([MapCountry("UGA", "Uganda", Status.AGREED)], caption="Uganda")
    assert 'id="country-UGA"' in svg and "Agreed (1)" in svg


# -- PDF and Word ----------------------------------------------------------------------------------


def test_pdf_carries_marking_dates_countries_and_changes(scheme_data, manager, monkeypatch):
    _no_network(monkeypatch)
    text = _pdf_text(render_pdf(_build(scheme_data.scheme, manager)))
    assert text.count("OFFICIAL") >= 2 and "OFFICIAL-SENSITIVE" not in text
    assert "31 December 2025" in text and "30 September 2025" in text
    for name in COUNTRIES + CHANGES:
        assert name in text
    assert SECRET not in text
    assert "Page 1 of" in text


def test_pdf_for_cleared_manager_is_marked_sensitive_on_every_page(scheme_data, cleared_manager):
    content = render_pdf(_build(scheme_data.scheme, cleared_manager, sensitive=True))
    pages = PdfReader(io.BytesIO(content)).pages
    assert all(page.extract_text().count("OFFICIAL-SENSITIVE") >= 2 for page in pages)
    assert SECRET in _pdf_text(content)


def test_docx_has_headings_table_map_and_marking(scheme_data, manager, monkeypatch):
    _no_network(monkeypatch)
    document = Document(io.BytesIO(render_docx(_build(scheme_data.scheme, manager))))
    headings = {p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert {"Heading 1", "Heading 2"} <= headings
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert "OFFICIAL" in document.sections[0].footer.paragraphs[0].text
    assert [cell.text for cell in document.tables[0].rows[0].cells] == [
        "Country",
        "Status",
        "Since",
        "Status on 30 September 2025",
    ]
    assert len(document.inline_shapes) == 2  # the map and the status-over-time chart
    text = _docx_text(document)
    for name in COUNTRIES + CHANGES + ["31 December 2025"]:
        assert name in text
    assert SECRET not in text


def test_docx_for_cleared_manager_has_sensitive_marking_and_item(scheme_data, cleared_manager):
    content = render_docx(_build(scheme_data.scheme, cleared_manager, sensitive=True))
    document = Document(io.BytesIO(content))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert SECRET in _docx_text(document)


# -- Views ---------------------------------------------------------------------------------------

PAGES = ["briefings", "briefing_preview", "export_log"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_users_are_sent_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_viewers_and_analysts_are_refused(client, db, request, name, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_viewers_cannot_download_briefings(client, viewer, scheme_data, fmt):
    client.force_login(viewer)
    url = reverse("briefing_download", args=[fmt])
    assert client.get(url, _query(scheme_data.scheme)).status_code == 403


def test_briefings_page_offers_defaults_and_no_sensitive_option_without_clearance(
    client, manager, scheme_data, today
):
    client.force_login(manager)
    response = client.get(reverse("briefings"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="as_of_year" type="text" inputmode="numeric" value="{today.year}"' in html
    assert "include_sensitive" not in html
    assert f'value="{scheme_data.scheme.pk}" checked' in html


def test_cleared_manager_is_offered_the_sensitive_option(client, cleared_manager, db):
    client.force_login(cleared_manager)
    assert b'name="include_sensitive"' in client.get(reverse("briefings")).content


def test_preview_without_htmx_renders_the_whole_page(client, manager, scheme_data):
    client.force_login(manager)
    response = client.get(reverse("briefing_preview"), _query(scheme_data.scheme))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'id="briefing-builder"' in html
    assert "Kurti: Kosovo wants to help the UK" in html and 'id="country-XKX"' in html
    assert "HX-Request" in response["Vary"]


def test_preview_with_htmx_renders_only_the_builder(client, manager, scheme_data):
    client.force_login(manager)
    response = client.get(
        reverse("briefing_preview"), _query(scheme_data.scheme), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="briefing-builder">')
    assert "Download PDF" in html and SECRET not in html
    assert "HX-Request" in response["Vary"]


def test_preview_shows_gov_uk_errors_for_a_bad_date(client, manager, scheme_data):
    client.force_login(manager)
    query = _query(scheme_data.scheme) | {"as_of_day": "31", "as_of_month": "2"}
    html = client.get(reverse("briefing_preview"), query).content.decode()
    assert "There is a problem" in html
    assert "The &#x27;as of&#x27; date must be a real date" in html or "must be a real date" in html
    assert 'href="#as_of_day"' in html  # the box the error is about
    assert 'govuk-input--error" id="as_of_day"' in html
    assert 'govuk-input--error" id="as_of_month"' not in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schemes": []}, "Select at least one scheme"),
        ({"as_of_day": ""}, "must include a day"),
        ({"changes_since_year": "2026"}, "must be before"),
        ({"as_of_year": "2099"}, "today or in the past"),
        ({"as_of_year": "2999"}, "The year must be between 1900 and 2100"),
        ({"as_of_day": "", "as_of_month": "", "as_of_year": ""}, "Enter the"),
    ],
)
def test_preview_validation_messages(client, manager, scheme_data, change, message):
    client.force_login(manager)
    query = _query(scheme_data.scheme) | change
    html = client.get(reverse("briefing_preview"), query).content.decode()
    assert message in html.replace("&#x27;", "'")


def test_the_error_summary_links_to_the_first_scheme_box(client, manager, scheme_data):
    client.force_login(manager)
    query = _query(scheme_data.scheme) | {"schemes": []}
    html = client.get(reverse("briefing_preview"), query).content.decode()
    assert '<a href="#schemes_0">Select at least one scheme</a>' in html
    assert 'id="schemes_0" name="schemes" type="checkbox"' in html


def test_sensitive_option_is_refused_server_side_without_clearance(client, manager, scheme_data):
    client.force_login(manager)
    query = _query(scheme_data.scheme, sensitive=True)
    html = client.get(reverse("briefing_preview"), query).content.decode()
    assert "You do not have clearance" in html and SECRET not in html
    response = client.get(reverse("briefing_download", args=["pdf"]), query)
    assert response.status_code == 400 and not ExportLog.objects.exists()


def test_pdf_download_is_logged_and_named_with_the_date(client, manager, scheme_data):
    client.force_login(manager)
    response = client.get(reverse("briefing_download", args=["pdf"]), _query(scheme_data.scheme))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="briefing-uk-return-hubs-2025-as-of-2025-12-31.pdf"'
    )
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.format) == (manager, "briefing", "pdf")
    assert log.filters["as_of"] == "2025-12-31" and log.filters["schemes"] == [
        "uk-return-hubs-2025"
    ]


def test_docx_download_for_cleared_manager_includes_sensitive_item(
    client, cleared_manager, scheme_data
):
    client.force_login(cleared_manager)
    url = reverse("briefing_download", args=["docx"])
    response = client.get(url, _query(scheme_data.scheme, sensitive=True))
    document = Document(io.BytesIO(response.content))
    assert SECRET in _docx_text(document)
    assert ExportLog.objects.get().included_sensitive is True


def test_export_log_lists_exports_for_managers_page_by_page(client, manager, scheme_data):
    ExportLog.objects.bulk_create(
        [ExportLog(user=manager, kind="events", format="csv", filters={"q": "x"})] * 60
    )
    client.force_login(manager)
    first = client.get(reverse("export_log")).content.decode()
    assert first.count("Events (CSV)") == 50 and "Page 1 of 2" in first
    second = client.get(reverse("export_log"), {"page": 2}).content.decode()
    assert second.count("Events (CSV)") == 10


def test_briefing_of_several_schemes_one_without_countries(scheme_data, manager):
    empty = SchemeFactory(name="EU return-hubs working group", slug="eu-working-group")
    request = BriefingRequest(schemes=[scheme_data.scheme, empty], as_of=AS_OF, changes_since=SINCE)
    briefing = build_briefing(request=request, user=manager, now=timezone.localtime())
    assert [len(s.countries) for s in briefing.schemes] == [3, 0]
    text = _pdf_text(render_pdf(briefing))
    assert "EU return-hubs working group" in text and "No countries are recorded" in text
    document = Document(io.BytesIO(render_docx(briefing)))
    # one scheme has countries: its map and its status-over-time chart
    assert len(document.inline_shapes) == 2 and len(document.tables) == 1
    assert "No countries are recorded for this scheme." in _docx_text(document)


@pytest.mark.parametrize("extra_countries", [0, 10])
def test_preview_page_query_count_does_not_grow_with_the_data(
    client, cleared_manager, scheme_data, django_assert_max_num_queries, extra_countries
):
    recorder = scheme_data.kosovo.events.first().recorded_by
    for _ in range(extra_countries):
        candidacy = CandidacyFactory(scheme=scheme_data.scheme, country=CountryFactory())
        add_event(candidacy, recorder, occurred_on=datetime.date(2025, 10, 2))
    client.force_login(cleared_manager)
    query = _query(scheme_data.scheme, sensitive=True)
    with django_assert_max_num_queries(18):  # 2 of them for the status-over-time chart
        response = client.get(reverse("briefing_preview"), query, headers={"HX-Request": "true"})
    assert response.status_code == 200
