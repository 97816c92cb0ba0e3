import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from talks.documents.exports import (
    EVENT_HEADER,
    csv_stream,
    event_rows,
    export_filename,
    neutralise,
    xlsx_file,
)
from talks.models import ExportLog, TalkEvent
from tests.factories import add_event
from tests.talks.briefing_data import SECRET, BriefingData, make_scheme_data

HYPERLINK = '=HYPERLINK("http://example.com","x")'


@pytest.fixture
def scheme_data(db) -> BriefingData:
    return make_scheme_data()


def _csv_rows(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _xlsx_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Osmani", "Osmani"),
        ("a=b", "a=b"),
        (None, ""),
        (42, 42),
        (datetime.date(2025, 5, 16), datetime.date(2025, 5, 16)),
    ],
)
def test_neutralise_prefixes_cells_a_spreadsheet_would_run(value, expected):
    assert neutralise(value) == expected


def test_event_csv_and_xlsx_neutralise_a_formula_title(scheme_data, manager):
    add_event(scheme_data.kosovo, scheme_data.kosovo.events.first().recorded_by, title=HYPERLINK)
    events = TalkEvent.objects.filter(title=HYPERLINK)
    text = "".join(csv_stream(EVENT_HEADER, event_rows(user=manager, events=events)))
    row = next(r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if HYPERLINK in "".join(r))
    assert "'" + HYPERLINK in row
    workbook, count = xlsx_file(
        title="Events", header=EVENT_HEADER, rows=event_rows(user=manager, events=events)
    )
    rows = _xlsx_rows(workbook.read())
    assert count == 1 and "'" + HYPERLINK in rows[1]
    assert not any(isinstance(v, str) and v.startswith("=") for v in rows[1])


def test_event_rows_never_carry_sensitive_events_to_a_user_without_clearance(
    scheme_data, manager, cleared_manager
):
    everything = TalkEvent.objects.all()
    titles = [row[6] for row in event_rows(user=manager, events=everything)]
    assert SECRET not in titles and len(titles) == 4
    cleared = [row[6] for row in event_rows(user=cleared_manager, events=everything)]
    assert SECRET in cleared


def test_csv_stream_reports_the_row_count_when_done(scheme_data, manager):
    counted = []
    rows = event_rows(user=manager, events=TalkEvent.objects.all())
    "".join(csv_stream(EVENT_HEADER, rows, on_done=counted.append))
    assert counted == [4]


def test_xlsx_drops_characters_that_excel_refuses(db):
    workbook, _ = xlsx_file(title="T", header=["a"], rows=[("bell\x07 here",)])
    assert _xlsx_rows(workbook.read())[1] == ("bell here",)


def test_export_filename_is_safe_and_dated():
    name = export_filename("candidacies", "../../etc/passwd", "as-of-2025-12-31")
    assert "/" not in name and ".." not in name
    assert name.startswith("hubtracker-candidacies-etcpasswd-as-of-2025-12-31-")


# -- Candidacy exports through the views ---------------------------------------------------------


def _candidacies(client, fmt="csv", **query):
    params = {"scheme": "uk-return-hubs-2025", "date": "2025-12-31"} | query
    return client.get(reverse("export_candidacies", args=[fmt]), params)


def test_candidacy_csv_has_the_shortlist_by_the_status_rule(client, manager, scheme_data):
    client.force_login(manager)
    response = _candidacies(client)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="hubtracker-candidacies-uk-return-hubs-2025-as-of-2025-12-31-'
        in (response["Content-Disposition"])
    )
    rows = _csv_rows(response)
    assert rows[0][:3] == ["Country", "Country code", "Status"]
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("Kosovo", "Exploratory talks"),
        ("Montenegro", "Open to talks"),
        ("Serbia", "Shortlisted"),
    ]


def test_candidacy_export_hides_a_sensitive_status_from_a_user_without_clearance(
    client, manager, cleared_manager, scheme_data
):
    client.force_login(manager)
    serbia = [r for r in _csv_rows(_candidacies(client)) if r[0] == "Serbia"]
    assert serbia[0][2] == "Shortlisted"
    client.force_login(cleared_manager)
    serbia = [r for r in _csv_rows(_candidacies(client)) if r[0] == "Serbia"]
    assert serbia[0][2] == "Negotiating"


def test_candidacy_xlsx_opens_with_accents_and_dates(client, manager, scheme_data):
    client.force_login(manager)
    response = _candidacies(client, "xlsx", date="2025-06-01")
    rows = _xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][0] == "Country"
    assert rows[1][:4] == ("Kosovo", "XKX", "Open to talks", "16 May 2025")
    assert rows[1][4].date() == datetime.date(2025, 5, 16)
    assert ExportLog.objects.get().row_count == 3


def test_csv_keeps_accents_for_excel(client, manager, scheme_data):
    scheme_data.montenegro.country.name = "Crna Gora (Spajić, Hækkerup)"
    scheme_data.montenegro.country.save()
    client.force_login(manager)
    raw = b"".join(_candidacies(client).streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf") and "Spajić, Hækkerup".encode() in raw


def test_streamed_csv_export_is_logged_with_its_row_count(client, manager, scheme_data):
    client.force_login(manager)
    response = _candidacies(client)
    log = ExportLog.objects.get()
    assert (log.kind, log.format, log.row_count) == ("candidacies", "csv", None)
    _csv_rows(response)
    log.refresh_from_db()
    assert log.row_count == 3
    assert log.filters == {"scheme": "uk-return-hubs-2025", "date": "2025-12-31"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"scheme": "nope"}, "There is no such scheme"),
        ({"date": "31/12/2025"}, "Enter the date as a real date"),
        ({"date": "2999-01-01"}, "today or in the past"),
        ({"sort": "password"}, "Sort by one of the table"),
    ],
)
def test_bad_export_filters_get_a_clear_error(client, manager, scheme_data, query, message):
    client.force_login(manager)
    response = _candidacies(client, **query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", ["export_candidacies", "export_events"])
@pytest.mark.parametrize("who", ["viewer", "analyst", "cleared_analyst"])
def test_exports_refuse_viewers_and_analysts(client, request, scheme_data, fmt, name, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(name, args=[fmt]), {"scheme": "uk-return-hubs-2025"})
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["export_candidacies", "export_events"])
def test_exports_send_anonymous_users_to_log_in(client, db, name):
    response = client.get(reverse(name, args=["csv"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


# -- Exports built from the pages' own queries ------------------------------------------------


def _event_ids(response) -> list[int]:
    return [int(row[0]) for row in _csv_rows(response)[1:]]


def _page_ids(response) -> list[int]:
    return [event.pk for event in response.context["page_obj"].object_list]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"scheme": "uk-return-hubs-2025", "country": "kosovo"},
        {"q": "Kosovo", "sort": "title", "order": "asc"},
        {"status": "open", "date_from": "2025-05-01", "date_to": "2025-12-31"},
        {"kind": "statement", "date_from": "not a date"},
    ],
)
def test_event_export_has_exactly_the_rows_the_event_log_shows(client, manager, scheme_data, query):
    client.force_login(manager)
    page = client.get(reverse("event_log"), query)
    export = client.get(reverse("export_events", args=["csv"]), query)
    assert _event_ids(export) == _page_ids(page)
    assert len(_page_ids(page)) == page.context["page_obj"].total.value


def test_event_export_holds_every_page_in_the_page_order(client, manager, scheme_data):
    recorder = scheme_data.kosovo.events.first().recorded_by
    for day in range(1, 29):
        add_event(scheme_data.kosovo, recorder, occurred_on=datetime.date(2025, 2, day))
    client.force_login(manager)
    page = client.get(reverse("event_log"), {"page": 2})
    shown = page.context["page_obj"]
    assert shown.number == 2
    ids = _event_ids(client.get(reverse("export_events", args=["csv"]), {"page": 2}))
    assert len(ids) == shown.total.value
    assert ids[shown.start_index() - 1] == _page_ids(page)[0]


def test_event_export_through_the_view_keeps_sensitive_rows_from_uncleared_users(
    client, manager, cleared_manager, scheme_data
):
    client.force_login(manager)
    assert (
        SECRET
        not in b"".join(
            client.get(reverse("export_events", args=["csv"])).streaming_content
        ).decode()
    )
    client.force_login(cleared_manager)
    rows = _xlsx_rows(
        b"".join(client.get(reverse("export_events", args=["xlsx"])).streaming_content)
    )
    assert rows[0] == ("OFFICIAL-SENSITIVE",)
    assert SECRET in [row[6] for row in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_event_export_view_neutralises_formulas(client, manager, scheme_data, fmt):
    add_event(scheme_data.kosovo, scheme_data.kosovo.events.first().recorded_by, title=HYPERLINK)
    client.force_login(manager)
    response = client.get(reverse("export_events", args=[fmt]), {"q": "HYPERLINK"})
    content = b"".join(response.streaming_content)
    rows = _xlsx_rows(content) if fmt == "xlsx" else _csv_rows_from(content)
    titles = [row[6] for row in rows[1:]]
    assert titles == ["'" + HYPERLINK]
    log = ExportLog.objects.get()
    assert (log.kind, log.format, log.filters) == ("events", fmt, {"q": "HYPERLINK"})


def _csv_rows_from(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_event_log_offers_export_links_with_its_filters_to_managers_only(
    client, manager, viewer, scheme_data
):
    query = {"scheme": "uk-return-hubs-2025", "q": "Kosovo", "page": "1"}
    client.force_login(manager)
    html = client.get(reverse("event_log"), query).content.decode()
    assert '/exports/events.csv?scheme=uk-return-hubs-2025&amp;q=Kosovo"' in html
    assert '/exports/events.xlsx?scheme=uk-return-hubs-2025&amp;q=Kosovo"' in html
    client.force_login(viewer)
    assert "/exports/events" not in client.get(reverse("event_log"), query).content.decode()


def test_dashboard_offers_the_table_export_with_its_scheme_date_and_sort(
    client, manager, viewer, scheme_data
):
    query = {"scheme": "uk-return-hubs-2025", "date": "2025-12-31", "sort": "-status"}
    client.force_login(manager)
    page = client.get(reverse("dashboard"), query)
    html = page.content.decode()
    assert "/exports/candidacies.csv?scheme=uk-return-hubs-2025&amp;date=2025-12-31" in html
    export = client.get(reverse("export_candidacies", args=["csv"]), query)
    shown = page.context["rows"]()  # worked out when the template first showed them
    assert [r[0] for r in _csv_rows(export)[1:]] == [r.country_name for r in shown]
    client.force_login(viewer)
    assert "/exports/candidacies" not in client.get(reverse("dashboard"), query).content.decode()
