"""Bad input gets a clear error and never a 500, and nothing is lost or written twice.

Every test goes through HTTP with the Django test client, so it does not depend on where the
code behind each page lives.
"""

import csv
import datetime
import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from talks.models import Candidacy, TalkEvent
from tests.factories import add_event
from tests.talks.briefing_data import AS_OF, SINCE, make_scheme_data

pytestmark = pytest.mark.django_db

SCHEME = "uk-return-hubs-2025"


@pytest.fixture
def scheme_data(db):
    return make_scheme_data()


class FormFields(HTMLParser):
    """The hidden inputs of the form whose action is `action` (or of every form)."""

    def __init__(self, action: str | None = None) -> None:
        super().__init__()
        self.action, self.inside, self.hidden = action, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.action is None or attrs.get("action") == self.action
        elif tag == "input" and self.inside and attrs.get("type") == "hidden":
            if attrs.get("name") and attrs["name"] != "csrfmiddlewaretoken":
                self.hidden[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def hidden_fields(response, action: str | None = None) -> dict[str, str]:
    parser = FormFields(action)
    parser.feed(response.content.decode())
    return parser.hidden


def event_fields(title: str, **overrides) -> dict[str, str]:
    fields = {
        "day": "2",
        "month": "6",
        "year": "2025",
        "precision": "day",
        "kind": "statement",
        "title": title,
        "summary": "",
        "source_mode": "none",
        "classification": "official",
    }
    fields.update(overrides)
    return fields


def open_and_submit_twice(client, url: str, fields: dict[str, str]):
    """Open the form at `url`, then send what it holds plus `fields` twice, as a double click."""
    page = client.get(url)
    assert page.status_code == 200
    body = {**hidden_fields(page, url), **fields}
    return client.post(url, body), client.post(url, body)


# Briefings: numbers that overflow -----------------------------------------------------------
def briefing_query(scheme, **change) -> dict:
    query = {
        "schemes": [scheme.pk],
        "as_of_day": AS_OF.day,
        "as_of_month": AS_OF.month,
        "as_of_year": AS_OF.year,
        "changes_since_day": SINCE.day,
        "changes_since_month": SINCE.month,
        "changes_since_year": SINCE.year,
    }
    query.update(change)
    return query


@pytest.mark.parametrize("part", ["as_of_day", "as_of_month", "changes_since_day"])
def test_briefing_preview_with_an_overflowing_day_says_the_date_is_not_real(
    client, manager, scheme_data, part
):
    client.force_login(manager)
    client.raise_request_exception = False
    query = briefing_query(scheme_data.scheme, **{part: "99999999999999999999"})
    response = client.get(reverse("briefing_preview"), query)
    assert response.status_code == 200
    assert "must be a real date" in response.content.decode()


@pytest.mark.parametrize("scheme_id", ["9223372036854775808", "-9223372036854775809", "1e309"])
def test_briefing_preview_with_a_scheme_id_beyond_64_bits_asks_for_a_scheme(
    client, manager, scheme_data, scheme_id
):
    """Found by the fuzz drill: 500 (OverflowError on SQLite)."""
    client.force_login(manager)
    client.raise_request_exception = False
    response = client.get(reverse("briefing_preview"), {"schemes": scheme_id})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    download = client.get(reverse("briefing_download", args=["docx"]), {"schemes": scheme_id})
    assert download.status_code == 400


# Documents: characters XML cannot hold ----------------------------------------------------------
CONTROL_TITLE = "Vertical\x0btab and\x1b escape\x00"


@pytest.fixture
def control_characters_event(scheme_data):
    """An event whose text holds characters XML 1.0 cannot carry (as old data might)."""
    event = add_event(scheme_data.kosovo, scheme_data.kosovo.events.first().recorded_by)
    TalkEvent.objects.filter(pk=event.pk).update(
        title=CONTROL_TITLE.replace("\x00", ""),
        summary="Summary\x0c with a form feed",
        occurred_on=datetime.date(2025, 11, 1),
    )
    return event


def test_a_word_briefing_drops_characters_xml_cannot_hold(
    client, manager, scheme_data, control_characters_event
):
    client.force_login(manager)
    client.raise_request_exception = False
    url = reverse("briefing_download", args=["docx"])
    response = client.get(url, briefing_query(scheme_data.scheme))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Verticaltab and escape" in text.replace(" ", " ")
    assert "\x0b" not in text and "\x1b" not in text


def test_a_pdf_briefing_with_control_characters_still_renders(
    client, manager, scheme_data, control_characters_event
):
    client.force_login(manager)
    client.raise_request_exception = False
    url = reverse("briefing_download", args=["pdf"])
    response = client.get(url, briefing_query(scheme_data.scheme))
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "\x1b" not in text and "escape" in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_event_exports_with_control_characters_still_open(
    client, manager, scheme_data, control_characters_event, fmt
):
    client.force_login(manager)
    client.raise_request_exception = False
    response = client.get(reverse("export_events", args=[fmt]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
        assert any("escape" in str(cell) for row in rows for cell in row)


def test_the_briefing_preview_with_control_characters_renders(
    client, manager, scheme_data, control_characters_event
):
    client.force_login(manager)
    client.raise_request_exception = False
    response = client.get(reverse("briefing_preview"), briefing_query(scheme_data.scheme))
    assert response.status_code == 200


# CSV import: parsing limits, one date rule ------------------------------------------------------
IMPORT_HEADER = (
    "country,date,kind,title,new_status,classification,source_outlet,source_reliability\n"
)


def upload(client, text: str):
    file = SimpleUploadedFile("events.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("event_import", args=[SCHEME]), {"file": file})


def test_a_csv_header_field_over_the_csv_modules_limit_is_refused_clearly(
    client, analyst, scheme_data
):
    client.force_login(analyst)
    client.raise_request_exception = False
    limit = csv.field_size_limit()
    response = upload(client, "country,date,kind,title," + "t" * (limit + 10) + "\n")
    assert response.status_code == 400
    assert "not a valid CSV file" in response.content.decode()


def test_a_csv_row_field_over_the_limit_is_refused_clearly(client, analyst, scheme_data):
    client.force_login(analyst)
    client.raise_request_exception = False
    limit = csv.field_size_limit()
    response = upload(
        client, IMPORT_HEADER + "Kosovo,2025-06-01,statement," + "t" * (limit + 10) + "\n"
    )
    assert response.status_code == 400


DATES = [
    # (year, month, day, accepted)
    (1, 1, 1, False),
    (9999, 12, 31, False),
    (1899, 12, 31, False),
    (2101, 1, 1, False),
    (1900, 1, 1, True),
    (2025, 6, 1, True),
    (2100, 12, 31, True),
]


@pytest.mark.parametrize(("year", "month", "day", "accepted"), DATES)
def test_the_csv_import_and_the_form_accept_the_same_dates(
    client, analyst, scheme_data, year, month, day, accepted
):
    client.force_login(analyst)
    form = client.post(
        reverse("event_new_scheme_wide", args=[SCHEME]),
        event_fields("A scheme-wide date check", day=str(day), month=str(month), year=str(year)),
    )
    assert (form.status_code == 302) is accepted, form.status_code
    row = f",{year:04d}-{month:02d}-{day:02d},statement,A date check from a file,,,,\n"
    preview = upload(client, IMPORT_HEADER + row)
    html = preview.content.decode()
    assert ("1 new" in html) is accepted, html
    if not accepted:
        assert "The year must be between 1900 and 2100" in html
        assert "The year must be between 1900 and 2100" in form.content.decode()


# Where to go after a save: `next` ---------------------------------------------------------------
@pytest.mark.parametrize("next_url", ["abc", "1041", "dashboard", "javascript:alert(1)"])
def test_recording_an_event_with_a_bad_next_saves_once_and_redirects_safely(
    client, analyst, scheme_data, next_url
):
    client.force_login(analyst)
    client.raise_request_exception = False
    url = reverse("event_new", args=[SCHEME, "kosovo"])
    kosovo = Candidacy.objects.get(pk=scheme_data.kosovo.pk)
    title = f"Saved with next={next_url}"
    fields = event_fields(title, next=next_url, version=str(kosovo.version))
    response = client.post(url, fields)
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert TalkEvent.objects.filter(title=title).count() == 1


@pytest.mark.parametrize("next_url", ["1041", "abc"])
def test_retracting_with_a_bad_next_retracts_and_redirects_safely(
    client, analyst, scheme_data, next_url
):
    """Found by the fuzz drill: next=1041 -> NoReverseMatch after the retraction was written."""
    client.force_login(analyst)
    client.raise_request_exception = False
    event = scheme_data.kosovo.events.order_by("pk").last()
    kosovo = Candidacy.objects.get(pk=scheme_data.kosovo.pk)
    response = client.post(
        reverse("event_retract", args=[event.pk]),
        {"reason": "Wrong report", "version": str(kosovo.version), "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    event.refresh_from_db()
    assert event.is_retracted


def test_correcting_with_a_bad_next_redirects_safely(client, analyst, scheme_data):
    client.force_login(analyst)
    client.raise_request_exception = False
    event = scheme_data.kosovo.events.order_by("pk").last()
    kosovo = Candidacy.objects.get(pk=scheme_data.kosovo.pk)
    fields = event_fields("Corrected title", next="abc", version=str(kosovo.version))
    response = client.post(reverse("event_correct", args=[event.pk]), fields)
    assert response.status_code == 302
    assert TalkEvent.objects.filter(title="Corrected title").count() == 1


def test_a_good_next_is_still_followed(client, analyst, scheme_data):
    client.force_login(analyst)
    kosovo = Candidacy.objects.get(pk=scheme_data.kosovo.pk)
    fields = event_fields("Back to the log", next="/events/?q=x", version=str(kosovo.version))
    response = client.post(reverse("event_new", args=[SCHEME, "kosovo"]), fields)
    assert response["Location"] == "/events/?q=x"
