"""The events CSV written by PostgreSQL (COPY, neutralising in SQL) is byte for byte the file
csv.writer makes from the same rows, whatever the text holds; and on every engine the file
neutralises formulas and reads back as it was stored."""

import csv
import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from talks.documents import xlsx_stream
from talks.documents.exports import (
    EVENT_HEADER,
    csv_stream,
    event_csv_blocks,
    event_rows,
    events_workbook,
)
from talks.models import Classification, DatePrecision, EventKind, TalkEvent
from talks.rules import event_csv
from talks.rules.statuses import Status
from tests.factories import CandidacyFactory, CountryFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

TRICKY = [
    '=HYPERLINK("http://example.com","click")',
    "+44 20 7946 0000",
    "-1+2",
    "@SUM(A1:A2)",
    "\tindented with a tab",
    "\rstarts with a carriage return",
    'She said "no", then left',
    "line one\nline two",
    "windows\r\nlines",
    "comma, inside",
    "Spajić, Hækkerup, Ὀδυσσεύς, 北京, 🇽🇰",
    " leading and trailing spaces ",
    "\\. backslash dot",
    "'=already quoted formula",
    "",
]


@pytest.fixture
def tricky_events(cleared_analyst):
    kosovo = CandidacyFactory(country=CountryFactory(name="Kosovo", code="XKX", slug="kosovo"))
    author = UserFactory(username="=cmd|' /C calc'!A0")
    precisions = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.QUARTER, DatePrecision.YEAR]
    events = []
    for n, text in enumerate(TRICKY):
        source = SourceFactory(
            outlet=TRICKY[-n - 1] or "Outlet",
            title=text,
            url="https://example.com/a?b=1,2" if n % 2 else "",
            published_on=datetime.date(2025, 1, 1 + n) if n % 3 else None,
            reliability_note=f"@note {n}" if n % 4 == 0 else "",
        )
        events.append(
            TalkEvent.objects.create(
                scheme=kosovo.scheme,
                candidacy=kosovo if n % 5 else None,  # some scheme-wide: no country
                occurred_on=datetime.date(2024, 1 + n % 12, 1 + n),
                precision=precisions[n % 4],
                kind=EventKind.STATEMENT,
                title=text or "Untitled",
                summary=text,
                quote=TRICKY[(n + 3) % len(TRICKY)],
                speaker=TRICKY[(n + 7) % len(TRICKY)],
                new_status=Status.OPEN if n == 2 else "",
                classification=Classification.OFFICIAL_SENSITIVE if n == 4 else "official",
                source=source if n % 6 else None,
                recorded_by=author if n % 2 else None,
            )
        )
    events[1].retracted_at = timezone.now()
    events[1].retraction_reason = "=wrong"
    events[1].save()
    events[3].superseded_by = events[5]
    events[3].save()
    return TalkEvent.objects.order_by("-occurred_on", "-id")


def python_csv(user, events) -> bytes:
    return "".join(csv_stream(EVENT_HEADER, event_rows(user=user, events=events))).encode()


def exported(user, events) -> bytes:
    return b"".join(event_csv_blocks(user=user, events=events))


@pytest.mark.postgres_only
def test_postgresql_writes_the_same_bytes_as_csv_writer(tricky_events, manager, cleared_manager):
    for user in (manager, cleared_manager):
        assert exported(user, tricky_events) == python_csv(user, tricky_events)
    assert exported(manager, tricky_events.filter(pk__in=[])) == python_csv(
        manager, tricky_events.none()
    )


def test_every_tricky_value_is_neutralised_and_reads_back(tricky_events, cleared_manager):
    blocks = []
    file = b"".join(
        event_csv_blocks(user=cleared_manager, events=tricky_events, on_done=blocks.append)
    )
    assert file.startswith("\ufeff".encode() + b"event_id,scheme,country,date,")
    rows = list(csv.DictReader(io.StringIO(file.decode("utf-8-sig"), newline="")))
    assert blocks == [len(rows)] == [len(TRICKY)]
    for row in rows:
        for value in row.values():
            assert not value.startswith(event_csv.FORMULA_STARTS), value
    stored = {str(e.pk): e for e in tricky_events}
    for row in rows:
        event = stored[row["event_id"]]
        assert event_csv.restore(row["summary"]) == event.summary
        assert event_csv.restore(row["title"]) == event.title
        assert row["date"] == event_csv.date_text(event.occurred_on, event.precision)
    assert {row["state"] for row in rows} == {"current", "retracted", "superseded"}


def test_an_uncleared_reader_gets_no_sensitive_row(tricky_events, manager, cleared_manager):
    cleared = exported(cleared_manager, tricky_events).decode("utf-8-sig")
    uncleared = exported(manager, tricky_events).decode("utf-8-sig")
    assert "OFFICIAL-SENSITIVE" in cleared and "OFFICIAL-SENSITIVE" not in uncleared
    assert len(list(csv.reader(io.StringIO(uncleared)))) == len(TRICKY)  # header + all but one


def sheet_of(workbook) -> bytes:
    return zipfile.ZipFile(workbook).read("xl/worksheets/sheet1.xml")


@pytest.mark.postgres_only
def test_postgresql_writes_the_same_sheet_as_python(tricky_events, manager, cleared_manager):
    for user in (manager, cleared_manager):
        from_sql, count = events_workbook(user=user, events=tricky_events, marking="M")
        rows = event_rows(user=user, events=tricky_events)
        from_python, _ = xlsx_stream.workbook_file(
            title="Events", header=EVENT_HEADER, fill=xlsx_stream.python_rows(rows), marking="M"
        )
        assert sheet_of(from_sql) == sheet_of(from_python)
        assert count == len(TRICKY) - (0 if user == cleared_manager else 1)


def test_the_workbook_holds_every_value_neutralised_with_dates_as_dates(
    tricky_events, cleared_manager
):
    workbook, count = events_workbook(
        user=cleared_manager, events=tricky_events, marking="OFFICIAL-SENSITIVE"
    )
    sheet = load_workbook(workbook, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "OFFICIAL-SENSITIVE" and list(rows[1]) == list(EVENT_HEADER)
    assert count == len(rows) - 2 == len(TRICKY)
    stored = {e.pk: e for e in tricky_events}
    for row in rows[2:]:
        values = dict(zip(EVENT_HEADER, row, strict=True))
        event = stored[values["event_id"]]
        for value in values.values():
            assert not (isinstance(value, str) and value.startswith(event_csv.FORMULA_STARTS))
        assert event_csv.restore(values["summary"] or "") == event.summary
        local = timezone.localtime(event.recorded_at).replace(tzinfo=None, microsecond=0)
        assert values["recorded_at"] == local
        published = event.source.published_on if event.source else None
        assert values["source_published_on"] == (
            datetime.datetime.combine(published, datetime.time()) if published else None
        )
