"""Data exports: candidacies and events as CSV (streamed) and XLSX, plus the export log.

Spreadsheet safety: a text cell that begins with =, +, -, @, a tab or a carriage return is
prefixed with a single quote, so Excel and LibreOffice show it as text instead of running it as
a formula (CSV and XLSX alike). CSV is UTF-8 with a byte-order mark, which Excel needs to read
accents (Osmani, Spajić, Hækkerup) correctly.

Permissions are checked here as well as in the views: rows come from querysets already limited
to what the user may see (`talks.access`: the events and the status rule of the user's picture).
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, Func, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify

from talks import access
from talks.documents import xlsx_stream
from talks.models import Classification, DatePrecision, ExportLog, Scheme, TalkEvent
from talks.rules import event_csv
from talks.selectors.dashboard import ShortlistRow

FORMULA_STARTS = event_csv.FORMULA_STARTS
CHUNK_SIZE = 2_000
CSV_ROWS_PER_CHUNK = 500
XLSX_IN_MEMORY_BYTES = 8 * 1024 * 1024

Row = tuple


def neutralise(value):
    """A cell value that no spreadsheet will run as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and event_csv.needs_quote(value):
        return "'" + value
    return value


def authorise_export(user) -> None:
    access.require(user, access.EXPORT)


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
    """The dashboard table's rows (`talks.selectors.dashboard.shortlist_rows`, already limited to
    what the user may see and sorted as the page sorts them) as spreadsheet rows."""
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


EVENT_HEADER = tuple(event_csv.COLUMNS)


EVENT_FIELDS = (
    "pk",
    "scheme__slug",
    "candidacy__country__name",
    "occurred_on",
    "precision",
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
    "source__reliability_note",
    "retracted_at",
    "retraction_reason",
    "superseded_by",
    "recorded_by__username",
    "recorded_at",
)
_CLASSIFICATIONS = dict(Classification.choices)


def _state(retracted_at, superseded_by) -> str:
    if retracted_at is not None:
        return event_csv.RETRACTED
    if superseded_by is not None:
        return event_csv.SUPERSEDED
    return event_csv.CURRENT


def _event_row(values: tuple) -> Row:
    """One event in the event CSV schema (`talks.rules.event_csv.COLUMNS`, in that order)."""
    (pk, scheme, country, occurred_on, precision, kind, title, summary, quote, speaker,
     new_status, classification, outlet, source_title, url, published, reliability,
     reliability_note, retracted_at, reason, superseded_by, recorded_by,
     recorded_at) = values  # fmt: skip
    return (
        pk,
        scheme,
        country or "",
        event_csv.date_text(occurred_on, precision),
        precision,
        kind,
        title,
        summary,
        quote,
        speaker,
        new_status,
        _CLASSIFICATIONS.get(classification, classification),
        outlet or "",
        source_title or "",
        url or "",
        published,
        reliability or "",
        reliability_note or "",
        _state(retracted_at, superseded_by),
        reason,
        recorded_by or "",
        timezone.localtime(recorded_at).replace(tzinfo=None, microsecond=0),
    )


def events_marking(*, user, events: QuerySet[TalkEvent]) -> str:
    """OFFICIAL-SENSITIVE when the rows `user` gets from `events` include a sensitive event."""
    if not access.sees_sensitive(user):
        return ""
    sensitive = access.sensitive_events(events)
    return Classification.OFFICIAL_SENSITIVE.label if sensitive.exists() else ""


def candidacies_marking(*, user, scheme: Scheme, as_of: datetime.date) -> str:
    """OFFICIAL-SENSITIVE when the statuses `user` gets may rest on a sensitive event."""
    if not access.sees_sensitive(user):
        return ""
    sensitive = access.sensitive_events(
        TalkEvent.objects.effective().filter(scheme=scheme, occurred_on__lte=as_of)
    )
    return Classification.OFFICIAL_SENSITIVE.label if sensitive.exists() else ""


def event_rows(*, user, events: QuerySet[TalkEvent]) -> Iterator[Row]:
    """Rows for `events` (the event log's own query), re-limited to what the user may see.

    Reads plain tuples in chunks (no model instances), so memory stays flat however many rows.
    """
    authorise_export(user)
    visible = access.visible_events(user, events).values_list(*EVENT_FIELDS)
    for values in visible.iterator(chunk_size=CHUNK_SIZE):
        yield _event_row(values)


# -- The events CSV, written by the database on PostgreSQL -------------------------------------

# Codes of the characters a formula starts with: =, +, -, @, tab and carriage return.
_FORMULA_CODES = ", ".join(str(ord(start)) for start in FORMULA_STARTS)
CSV_BLOCK_BYTES = 64 * 1024


class _Neutralised(Func):
    """`neutralise` in SQL: text that starts as a formula once its leading quotes are set aside
    gets one more leading quote (`event_csv.needs_quote`). NULL and empty text come out as NULL,
    which COPY writes as an empty unquoted field (as csv.writer does)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        starts = f"ascii(ltrim({sql}, ''''))"
        case = f"CASE WHEN {starts} IN ({_FORMULA_CODES}) THEN '''' || {sql} ELSE {sql} END"
        return f"NULLIF({case}, '')", tuple(params) * 3


class _DateText(Func):
    """`event_csv.date_text` in SQL: the date in the form of its precision."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        day, day_params = compiler.compile(self.source_expressions[0])
        precision, precision_params = compiler.compile(self.source_expressions[1])
        forms = [
            (DatePrecision.MONTH, f"to_char({day}, 'YYYY-MM')"),
            (DatePrecision.QUARTER, f"to_char({day}, 'YYYY') || '-Q' || to_char({day}, 'Q')"),
            (DatePrecision.YEAR, f"to_char({day}, 'YYYY')"),
        ]
        sql = "CASE"
        params: list = []
        for code, form in forms:
            sql += f" WHEN {precision} = '{code}' THEN {form}"
            params += [*precision_params, *day_params * form.count(day)]
        sql += f" ELSE to_char({day}, 'YYYY-MM-DD') END"
        return sql, (*params, *day_params)


def _day(field: str) -> Func:
    return Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=TextField())


def _event_csv_columns() -> list:
    """SQL for each column of the event CSV, the same text `_event_row` + `_csv_value` make."""
    text = _Neutralised
    classification = Case(
        *(When(classification=code, then=Value(name)) for code, name in _CLASSIFICATIONS.items()),
        default=F("classification"),
        output_field=TextField(),
    )
    state = Case(
        When(retracted_at__isnull=False, then=Value(event_csv.RETRACTED)),
        When(superseded_by__isnull=False, then=Value(event_csv.SUPERSEDED)),
        default=Value(event_csv.CURRENT),
        output_field=TextField(),
    )
    local_time = Func(
        Value(settings.TIME_ZONE), F("recorded_at"), function="timezone", output_field=TextField()
    )
    return [
        Cast("pk", TextField()),
        text(F("scheme__slug")),
        text(F("candidacy__country__name")),
        _DateText(F("occurred_on"), F("precision")),
        *(text(F(name)) for name in ("precision", "kind", "title", "summary", "quote")),
        *(text(F(name)) for name in ("speaker", "new_status")),
        text(classification),
        *(text(F(f"source__{name}")) for name in ("outlet", "title", "url")),
        _day("source__published_on"),
        text(F("source__reliability")),
        text(F("source__reliability_note")),
        state,
        text(F("retraction_reason")),
        text(F("recorded_by__username")),
        Func(
            local_time, Value("YYYY-MM-DD HH24:MI:SS"), function="to_char", output_field=TextField()
        ),
    ]


class _Spool:
    """Takes COPY's rows (one row a write, each ending in LF) into a temporary file on disk, each
    ending in CRLF as csv.writer ends them, and notes where every `every`-th row ends."""

    def __init__(self, out, every: int) -> None:
        self.out, self.every = out, every
        self.rows = 0
        self.marks: list[tuple[int, int]] = []  # (bytes written, rows written)
        self.size = 0

    def write(self, row: bytes) -> None:
        line = row[:-1] + b"\r\n"
        self.out.write(line)
        self.size += len(line)
        self.rows += 1
        if self.rows % self.every == 0:
            self.marks.append((self.size, self.rows))


def _csv_header() -> bytes:
    return "".join(csv_stream(EVENT_HEADER, [])).encode("utf-8")


def _copy_csv(visible: QuerySet[TalkEvent], progress: Callable[[int], None], every: int):
    """The rows of `visible` as CSV, written by PostgreSQL's COPY into a temporary file on disk;
    yields blocks of it, calling `progress(rows)` as the rows in them are passed on. Returns the
    row count."""
    try:
        select, params = visible.values_list(*_event_csv_columns()).query.sql_with_params()
    except EmptyResultSet:
        return 0
    with tempfile.TemporaryFile() as out, connection.cursor() as cursor:
        spool = _Spool(out, every)
        copy = cursor.mogrify(f"COPY ({select}) TO STDOUT WITH (FORMAT csv)", params).decode()
        cursor.copy_expert(copy, spool)
        out.seek(0)
        marks, passed = iter(spool.marks), 0
        mark = next(marks, None)
        while block := out.read(CSV_BLOCK_BYTES):
            passed += len(block)
            yield block
            while mark is not None and mark[0] <= passed:
                progress(mark[1])
                mark = next(marks, None)
        return spool.rows


def event_csv_blocks(
    *,
    user,
    events: QuerySet[TalkEvent],
    progress: Callable[[int], None] | None = None,
    on_done: Callable[[int], None] | None = None,
    every: int = 2_000,
) -> Iterator[bytes]:
    """The event CSV (byte-order mark, header, one row per event `user` may see among `events`,
    in their order) as blocks of bytes, memory flat however many rows.

    On PostgreSQL the database writes it (COPY, with the formula neutralising in SQL); elsewhere
    csv.writer over `event_rows`. Both give the same bytes (tests/talks/test_event_csv_sql.py).
    `progress(rows)` is called as rows go out, about every `every` rows; `on_done(rows)` once
    at the end.
    """
    authorise_export(user)
    report = progress or (lambda rows: None)
    if connection.vendor == "postgresql":
        yield _csv_header()
        count = yield from _copy_csv(access.visible_events(user, events), report, every)
    else:
        counter = _Counter(report, every)
        rows = counter.count(event_rows(user=user, events=events))
        for text in csv_stream(EVENT_HEADER, rows):
            yield text.encode("utf-8")
        count = counter.rows
    if on_done is not None:
        on_done(count)


class _Counter:
    def __init__(self, report: Callable[[int], None], every: int) -> None:
        self.report, self.every, self.rows = report, every, 0

    def count(self, rows: Iterable[Row]) -> Iterator[Row]:
        for row in rows:
            yield row
            self.rows += 1
            if self.rows % self.every == 0:
                self.report(self.rows)


# -- The events workbook ----------------------------------------------------------------------


class _XmlText(Func):
    """`xlsx_stream.text_xml` in SQL over a neutralised text (NULL: an empty cell)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        sql, value = compiler.compile(self.source_expressions[0])
        text, params = f"translate({sql}, %s, '')", [*value, xlsx_stream.ILLEGAL]
        for old, new in [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), *XML_REFERENCES]:
            text, params = f"replace({text}, %s, %s)", [*params, old, new]
        # Most text needs none of it: one pattern test decides.
        text = f"CASE WHEN {sql} ~ %s THEN {text} ELSE {sql} END"
        params = [*value, NEEDS_ESCAPING, *params, *value]
        start, end = xlsx_stream.TEXT_CELL
        return f"COALESCE(%s || {text} || %s, %s)", (start, *params, end, xlsx_stream.EMPTY_CELL)


XML_REFERENCES = list(xlsx_stream.REFERENCES.items())
# A regular expression (PostgreSQL's) for text that holds anything `_XmlText` changes.
NEEDS_ESCAPING = "[&<>\\\\\t\n\r" + xlsx_stream.ILLEGAL + "]"


def _number_cell(sql_number: str, style: int = 0) -> str:
    attribute = f' s="{style}"' if style else ""
    return f"COALESCE('<c{attribute}><v>' || {sql_number} || '</v></c>', '<c/>')"


class _XmlRow(Func):
    """`xlsx_stream.row_xml` of one event in SQL: the cells `_event_row` gives, in its order."""

    output_field = TextField()
    kinds: list[str]  # each cell's kind ("text", "number", "date", "time"), set by the caller

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        cells, params = [], []
        for kind, expression in zip(self.kinds, self.get_source_expressions(), strict=True):
            sql, part = compiler.compile(expression)
            if kind == "text":
                cells.append(sql)
            elif kind == "date":
                cells.append(_number_cell(f"({sql} - DATE '1899-12-30')", xlsx_stream.DATE))
            elif kind == "time":
                seconds = f"floor(extract(epoch FROM ({sql} - TIMESTAMP '1899-12-30')))"
                days = f"round({seconds}::numeric / 86400, 10)"
                cells.append(_number_cell(days, xlsx_stream.DATE_TIME))
            else:
                cells.append(_number_cell(sql))
            params += part
        return "('<row>' || " + " || ".join(cells) + " || '</row>')", tuple(params)


def _event_xlsx_row() -> _XmlRow:
    columns = _event_csv_columns()
    kinds = ["number", *["text"] * 14, "date", "text", "text", "text", "text", "text", "time"]
    published = F("source__published_on")
    local_time = Func(
        Value(settings.TIME_ZONE), F("recorded_at"), function="timezone", output_field=TextField()
    )
    expressions = [*columns[:15], published, *columns[16:21], local_time]
    expressions = [
        expression if kind in ("date", "time", "number") else _XmlText(expression)
        for kind, expression in zip(kinds, expressions, strict=True)
    ]
    expressions[0] = F("pk")
    row = _XmlRow(*expressions)
    row.kinds = kinds
    return row


class _RowCounter:
    """Passes COPY's rows (one a write) on to the sheet and counts them."""

    def __init__(self, sheet) -> None:
        self.sheet, self.rows = sheet, 0

    def write(self, row: bytes) -> None:
        self.sheet.write(row)
        self.rows += 1


def _copy_sheet_rows(visible: QuerySet[TalkEvent]):
    """A workbook `fill` in which PostgreSQL writes the rows (COPY of `_event_xlsx_row`)."""

    def fill(sheet) -> int:
        try:
            select, params = visible.values_list(_event_xlsx_row()).query.sql_with_params()
        except EmptyResultSet:
            return 0
        counter = _RowCounter(sheet)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                cursor.mogrify(f"COPY ({select}) TO STDOUT", params).decode(), counter
            )
        return counter.rows

    return fill


def events_workbook(
    *, user, events: QuerySet[TalkEvent], marking: str = "", rows: Iterable[Row] | None = None
):
    """The events `user` may see among `events` as an XLSX file on disk (rewound), and the row
    count. On PostgreSQL the database writes the sheet's rows; elsewhere `xlsx_stream.row_xml`
    over `event_rows` (or over `rows`, when the caller reads them its own way): the same cells."""
    authorise_export(user)
    if connection.vendor == "postgresql":
        fill = _copy_sheet_rows(access.visible_events(user, events))
    else:
        fill = xlsx_stream.python_rows(
            rows if rows is not None else event_rows(user=user, events=events)
        )
    return xlsx_stream.workbook_file(
        title="Events", header=EVENT_HEADER, fill=fill, marking=marking
    )


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


def xlsx_file(*, title: str, header: Iterable[str], rows: Iterable[Row], marking: str = ""):
    """An XLSX workbook (write-only mode) in a spooled temporary file, and its row count.

    With a `marking` (OFFICIAL-SENSITIVE) the sheet carries it in its printed header and footer
    and in a first row above the column names.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    if marking:
        for place in (sheet.oddHeader.center, sheet.oddFooter.center):
            place.text = marking
        mark = WriteOnlyCell(sheet, value=marking)
        mark.font = bold
        sheet.append([mark])
    header_cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    sheet.freeze_panes = "A3" if marking else "A2"
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
        included_sensitive=included_sensitive and access.sees_sensitive(user),
        row_count=row_count,
    )


def finish_export_log(log: ExportLog, row_count: int) -> None:
    ExportLog.objects.filter(pk=log.pk).update(row_count=row_count)
