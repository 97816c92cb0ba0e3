"""Data exports: candidacies and events as CSV (streamed) and XLSX, plus the export log.

Spreadsheet safety: a text cell that begins with =, +, -, @, a tab or a carriage return is
prefixed with a single quote, so Excel and LibreOffice show it as text instead of running it as
a formula (CSV and XLSX alike). CSV is UTF-8 with a byte-order mark, which Excel needs to read
accents (Osmani, Spajić, Hækkerup) correctly.

Permissions are checked here as well as in the views: rows come from querysets already limited
to what the user may see (`visible_to`, the status rule with `include_sensitive` per clearance).
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from talks.dates import date_label
from talks.models import (
    Classification,
    EventKind,
    ExportLog,
    Reliability,
    Scheme,
    TalkEvent,
)
from talks.selectors import ShortlistRow, can_see_sensitive
from talks.statuses import label

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2_000
CSV_ROWS_PER_CHUNK = 500
XLSX_IN_MEMORY_BYTES = 8 * 1024 * 1024

Row = tuple


def neutralise(value):
    """A cell value that no spreadsheet will run as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def authorise_export(user) -> None:
    if not user.has_perm("talks.export_briefing"):
        raise PermissionDenied("You need the permission to export data (the Managers group).")


# -- What goes in the rows -----------------------------------------------------------------


CANDIDACY_HEADER = (
    "Country",
    "Country code",
    "Status",
    "Since (as reported)",
    "Since (date)",
    "Last event",
    "Last event (as reported)",
    "Last event (date)",
    "Scheme",
    "Status on",
)


def candidacy_rows(
    *, user, scheme: Scheme, as_of: datetime.date, rows: list[ShortlistRow]
) -> list[Row]:
    """The dashboard table's rows (`talks.selectors.shortlist_rows`, already limited to what
    the user may see and sorted as the page sorts them) as spreadsheet rows."""
    authorise_export(user)
    return [
        (
            row.country_name,
            row.country_code,
            row.status_label,
            row.since_label,
            row.since,
            row.last_event_title,
            row.last_event_label,
            row.last_event_on,
            scheme.name,
            as_of,
        )
        for row in rows
    ]


EVENT_HEADER = (
    "Event ID",
    "Date",
    "Date as reported",
    "Scheme",
    "Country",
    "Kind",
    "Title",
    "Summary",
    "Quote",
    "Speaker",
    "New status",
    "Classification",
    "Source outlet",
    "Source title",
    "Source URL",
    "Source published",
    "Source reliability",
    "State",
    "Recorded by",
    "Recorded at",
)


EVENT_FIELDS = (
    "pk",
    "occurred_on",
    "precision",
    "scheme__name",
    "candidacy__country__name",
    "kind",
    "title",
    "summary",
    "quote",
    "speaker",
    "new_status",
    "classification",
    "source__outlet",
    "source__title",
    "source__url",
    "source__published_on",
    "source__reliability",
    "retracted_at",
    "retraction_reason",
    "superseded_by",
    "recorded_by__username",
    "recorded_at",
)
_KINDS = dict(EventKind.choices)
_CLASSIFICATIONS = dict(Classification.choices)
_RELIABILITY = dict(Reliability.choices)


def _state(retracted_at, reason: str, superseded_by) -> str:
    if retracted_at is not None:
        return f"Retracted: {reason}".strip()
    if superseded_by is not None:
        return "Superseded by a correction"
    return "Current"


def _event_row(values: tuple) -> Row:
    (pk, occurred_on, precision, scheme, country, kind, title, summary, quote, speaker,
     new_status, classification, outlet, source_title, url, published, reliability,
     retracted_at, reason, superseded_by, recorded_by, recorded_at) = values  # fmt: skip
    return (
        pk,
        occurred_on,
        date_label(occurred_on, precision),
        scheme,
        country or "(scheme-wide)",
        _KINDS.get(kind, kind),
        title,
        summary,
        quote,
        speaker,
        label(new_status) if new_status else "",
        _CLASSIFICATIONS.get(classification, classification),
        outlet or "",
        source_title or "",
        url or "",
        published,
        _RELIABILITY.get(reliability, "") if reliability else "",
        _state(retracted_at, reason, superseded_by),
        recorded_by or "",
        timezone.localtime(recorded_at).replace(tzinfo=None, microsecond=0),
    )


def event_rows(*, user, events: QuerySet[TalkEvent]) -> Iterator[Row]:
    """Rows for `events` (the event log's own query), re-limited to what the user may see.

    Reads plain tuples in chunks (no model instances), so memory stays flat however many rows.
    """
    authorise_export(user)
    visible = events.visible_to(user).values_list(*EVENT_FIELDS)
    for values in visible.iterator(chunk_size=CHUNK_SIZE):
        yield _event_row(values)


# -- Writers --------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands the text back, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value)


def csv_stream(
    header: Iterable[str], rows: Iterable[Row], on_done: Callable[[int], None] | None = None
) -> Iterator[str]:
    """CSV text in chunks of a few hundred rows; calls `on_done(row_count)` at the end."""
    writer = csv.writer(_Echo())
    chunk = ["\ufeff", writer.writerow(list(header))]
    count = 0
    for row in rows:
        chunk.append(writer.writerow([_csv_value(v) for v in row]))
        count += 1
        if len(chunk) >= CSV_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
    if on_done is not None:
        on_done(count)


def _xlsx_value(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = neutralise(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_file(*, title: str, header: Iterable[str], rows: Iterable[Row]):
    """An XLSX workbook (write-only mode) in a spooled temporary file, and its row count."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    sheet.freeze_panes = "A2"
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
        count += 1
    out = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_BYTES)  # noqa: SIM115
    workbook.save(out)
    out.seek(0)
    return out, count


def export_filename(kind: str, *parts: str) -> str:
    """A safe file name without extension: `hubtracker-events-2026-11-26`."""
    stem = "-".join(slugify(p) for p in ("hubtracker", kind, *parts) if slugify(p))
    return f"{stem[:120]}-{timezone.localdate():%Y-%m-%d}"


# -- The export log -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRecord:
    kind: str
    format: str
    filters: dict


def log_export(
    *, user, record: ExportRecord, included_sensitive: bool, row_count: int | None = None
) -> ExportLog:
    """Write the export log row (the service for exports; views never write it themselves)."""
    authorise_export(user)
    return ExportLog.objects.create(
        user=user,
        kind=record.kind,
        format=record.format,
        filters=record.filters,
        included_sensitive=included_sensitive and can_see_sensitive(user),
        row_count=row_count,
    )


def finish_export_log(log: ExportLog, row_count: int) -> None:
    ExportLog.objects.filter(pk=log.pk).update(row_count=row_count)
