"""The one column schema of event CSV files.

The event export writes it, the CSV import reads it and the demo data set is stored in it, so
an exported file imports again unchanged (and adds nothing: every row is already present).

Values are the stored codes (`media_report`, `negotiating`, reliability `B`), the marking as
printed (`OFFICIAL`, `OFFICIAL-SENSITIVE`), and the date in the form of its precision:
`2025-10-21` (day), `2025-10` (month), `2025-Q4` (quarter), `2025` (year).
"""

import datetime

from talks.models import DatePrecision

COLUMNS = [
    "event_id",
    "scheme",
    "country",
    "date",
    "precision",
    "kind",
    "title",
    "summary",
    "quote",
    "speaker",
    "new_status",
    "classification",
    "source_outlet",
    "source_title",
    "source_url",
    "source_published_on",
    "source_reliability",
    "source_reliability_note",
    "state",
    "retraction_reason",
    "recorded_by",
    "recorded_at",
]
REQUIRED_COLUMNS = ["country", "date", "kind", "title"]
# Written by the export so a file says what it holds; the import does not write them (a new
# event gets its own id, recorder and time), and checks `scheme` and `state`.
RECORD_COLUMNS = ["event_id", "state", "retraction_reason", "recorded_by", "recorded_at"]

CURRENT, SUPERSEDED, RETRACTED = "current", "superseded", "retracted"


def date_text(day: datetime.date, precision: str) -> str:
    """The date as the import reads it back with the same precision."""
    if precision == DatePrecision.MONTH:
        return f"{day:%Y-%m}"
    if precision == DatePrecision.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if precision == DatePrecision.YEAR:
        return str(day.year)
    return day.isoformat()


# A spreadsheet runs a cell that starts with one of these; exports prefix such text with "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def needs_quote(text: str) -> bool:
    """Whether an export prefixes this text with a quote: it starts as a formula once any leading
    quotes are set aside. Text that already starts with quotes gets one more, so that the import,
    which takes exactly one off, reads back what was written (`'=x` stays `'=x`)."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def restore(text: str) -> str:
    """Undo an export's formula neutralising, so an exported cell reads back as it was."""
    if text.startswith("'") and needs_quote(text):
        return text[1:]
    return text
