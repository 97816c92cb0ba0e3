"""An XLSX workbook of one sheet, written row by row into a zip file on disk (nothing held in
memory), for exports of any size.

Rows arrive as ready-made sheet XML (`<row>…</row>`), from the database (`event_rows_sql`, a
COPY on PostgreSQL) or from `row_xml` in Python: the same cells either way. Cells carry no `r`
address (optional in the format; Excel, LibreOffice and openpyxl count them in order); an empty
value is an empty cell `<c/>`. Text is an inline string with formulas neutralised
(`exports.neutralise`) and the characters XML refuses removed; tab, line feed, carriage return and
backslash are written as character references, so a row is one line of plain text (which COPY
passes through unchanged). Dates and times are numbers with a date format, as Excel keeps them.
"""

import datetime
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import IO
from xml.sax.saxutils import escape

from talks.rules.event_csv import needs_quote

EXCEL_EPOCH = datetime.date(1899, 12, 30)
# What openpyxl and Excel refuse in a cell: control characters but tab, line feed, carriage return.
ILLEGAL = "".join(chr(c) for c in [*range(1, 9), 11, 12, *range(14, 32)])
_ILLEGAL_RE = re.compile(f"[\x00{re.escape(ILLEGAL)}]")
# Written as character references (after &, < and > are escaped).
REFERENCES = {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;", "\\": "&#92;"}
_REFERENCES_RE = re.compile("[\t\n\r\\\\]")
TEXT_CELL = ('<c t="inlineStr"><is><t xml:space="preserve">', "</t></is></c>")
EMPTY_CELL = "<c/>"
BOLD, DATE, DATE_TIME = 1, 2, 3  # cell styles (styles.xml below)
SERIAL_PLACES = Decimal("0.0000000001")

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"""  # noqa: E501
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""  # noqa: E501
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>"""  # noqa: E501
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""  # noqa: E501
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""  # noqa: E501
SHEET_START = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="{frozen}" topLeftCell="A{first}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"""  # noqa: E501
SHEET_END = "</sheetData>{header_footer}</worksheet>"
HEADER_FOOTER = "<headerFooter><oddHeader>&amp;C{marking}</oddHeader><oddFooter>&amp;C{marking}</oddFooter></headerFooter>"  # noqa: E501


def text_xml(value: str, style: int = 0) -> str:
    """A text cell: neutralised, cleaned, escaped (an empty text is an empty cell)."""
    if not value:
        return EMPTY_CELL
    if needs_quote(value):
        value = "'" + value
    value = _ILLEGAL_RE.sub("", value)
    value = _REFERENCES_RE.sub(lambda m: REFERENCES[m.group()], escape(value))
    start = TEXT_CELL[0].replace("<c ", f'<c s="{style}" ') if style else TEXT_CELL[0]
    return f"{start}{value}{TEXT_CELL[1]}"


def serial(value: datetime.date | datetime.datetime) -> str:
    """Excel's day number (1900 system); a time as the fraction of its day, to 10 places."""
    if isinstance(value, datetime.datetime):
        seconds = (value.date() - EXCEL_EPOCH).days * 86400
        seconds += value.hour * 3600 + value.minute * 60 + value.second
        days = (Decimal(seconds) / 86400).quantize(SERIAL_PLACES, rounding=ROUND_HALF_UP)
        return str(days)
    return str((value - EXCEL_EPOCH).days)


def cell_xml(value) -> str:
    if value is None or value == "":
        return EMPTY_CELL
    if isinstance(value, bool):
        return text_xml(str(value))
    if isinstance(value, int | float | Decimal):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, datetime.datetime):
        return f'<c s="{DATE_TIME}"><v>{serial(value)}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c s="{DATE}"><v>{serial(value)}</v></c>'
    return text_xml(str(value))


def row_xml(values: Iterable) -> str:
    return "<row>" + "".join(cell_xml(value) for value in values) + "</row>\n"


def write_workbook(
    out: IO[bytes],
    *,
    title: str,
    header: Iterable[str],
    fill: Callable[[IO[bytes]], int],
    marking: str = "",
) -> int:
    """The workbook into `out`: an optional marking row (and the marking in the printed header
    and footer), the bold column names, then what `fill(sheet)` writes into the sheet (`<row>`
    lines); returns the row count `fill` returns."""
    heading = "".join(text_xml(name, BOLD) for name in header)
    top = (f"<row>{text_xml(marking, BOLD)}</row>" if marking else "") + f"<row>{heading}</row>\n"
    frozen = 2 if marking else 1
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK.format(title=escape(title[:31], {'"': "&quot;"})))
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/styles.xml", STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.format(frozen=frozen, first=frozen + 1).encode())
            sheet.write(top.encode())
            count = fill(sheet)
            footer = HEADER_FOOTER.format(marking=escape(marking)) if marking else ""
            sheet.write(SHEET_END.format(header_footer=footer).encode())
    return count


def workbook_file(
    *, title: str, header: Iterable[str], fill: Callable[[IO[bytes]], int], marking: str = ""
) -> tuple[IO[bytes], int]:
    """`write_workbook` into a temporary file on disk, rewound for reading, and its row count."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the caller streams and closes it)
    count = write_workbook(out, title=title, header=header, fill=fill, marking=marking)
    out.seek(0)
    return out, count


def python_rows(rows: Iterable[Iterable]) -> Callable[[IO[bytes]], int]:
    """A `fill` that writes rows of Python values."""

    def fill(sheet: IO[bytes]) -> int:
        count = 0
        for row in rows:
            sheet.write(row_xml(row).encode())
            count += 1
        return count

    return fill
