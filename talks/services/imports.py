"""Import talk events for one scheme from a CSV file, all or nothing.

The preview and the import run the same code: every row goes through `record_event` in file
order (so status moves are checked against the rule, row after row), each in a savepoint that is
rolled back when the row is refused. A preview always rolls back; an import commits only when
no row was refused. A row that matches an event already recorded (same candidacy, date and
title) is reported as already present and skipped, so importing a file twice adds nothing.
"""

import csv
import datetime
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from countries.models import Country
from talks import access
from talks.models import (
    AuditAction,
    Candidacy,
    Classification,
    DatePrecision,
    EventKind,
    Person,
    Reliability,
    Scheme,
    Source,
)
from talks.rules import event_csv
from talks.rules.dates import period_start, year_problem
from talks.rules.statuses import Status, TransitionRefused
from talks.services.events import EventDetails, add_source, record_event

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
COLUMNS = event_csv.COLUMNS
REQUIRED_COLUMNS = event_csv.REQUIRED_COLUMNS
EXAMPLE_ROW = {
    "country": "Kosovo",
    "date": "2025-10-21",
    "precision": "day",
    "kind": "statement",
    "title": "Kosovo confirms informal talks on a return hub",
    "summary": "The Prime Minister's office said informal contacts had taken place.",
    "quote": "We are open to discussing it with our partners.",
    "speaker": "Government of Kosovo spokesperson",
    "new_status": "exploratory",
    "classification": "OFFICIAL",
    "source_outlet": "BBC News",
    "source_title": "Kosovo in talks on UK return hubs",
    "source_url": "https://www.bbc.co.uk/news/example",
    "source_published_on": "2025-10-21",
    "source_reliability": "B",
    "source_reliability_note": "",
}
NEW, PRESENT, ERROR = "new", "present", "error"


@dataclass
class RowResult:
    line: int
    country: str
    date: str
    title: str
    new_status: str = ""
    outcome: str = NEW
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def new_count(self) -> int:
        return self.count(NEW)

    @property
    def present_count(self) -> int:
        return self.count(PRESENT)

    @property
    def error_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.outcome == ERROR]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_rows


class FileRefused(Exception):
    """The file cannot be read as a CSV of events at all (size, encoding, columns)."""


# Reading the file ---------------------------------------------------------------------------
def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def too_big(size: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB: it must be at most "
        f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
    )


def decode(data: bytes) -> str:
    """The file's text: UTF-8, with or without a byte-order mark, at most MAX_BYTES."""
    if len(data) > MAX_BYTES:
        raise FileRefused(too_big(len(data)))
    if not data.strip():
        raise FileRefused("The file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            f"The file is not UTF-8 (unreadable byte at position {error.start}). In Excel, "
            "save it with 'CSV UTF-8 (Comma delimited)'."
        ) from None
    if "\x00" in text:
        raise FileRefused("The file contains NUL bytes: it does not look like a CSV file.")
    return text


def _read(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as error:  # e.g. a column name longer than csv.field_size_limit()
        raise FileRefused(f"The file is not a valid CSV file: {error}.") from None
    headers = [(name or "").strip().lower() for name in fieldnames]
    missing = [name for name in REQUIRED_COLUMNS if name not in headers]
    unknown = [name for name in headers if name and name not in COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(
                f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}"
            )
        if unknown:
            problems.append(
                f"unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}"
            )
        raise FileRefused(
            f"The first row must name the columns ({'; '.join(problems)}). "
            "Download the template to see the expected columns."
        )
    reader.fieldnames = headers
    try:
        rows = [
            {k: event_csv.restore((v or "").strip()) for k, v in row.items() if k} for row in reader
        ]
    except csv.Error as error:
        raise FileRefused(f"The file is not a valid CSV file: {error}.") from None
    if len(rows) > MAX_ROWS:
        raise FileRefused(f"The file has {len(rows)} rows: at most {MAX_ROWS} at a time.")
    if not rows:
        raise FileRefused("The file has column names but no rows.")
    return headers, rows


# Reading one row ----------------------------------------------------------------------------
_PATTERNS: list[tuple[re.Pattern[str], str, tuple[int, int | None, int | None] | None]] = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), DatePrecision.DAY, (1, 2, 3)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), DatePrecision.DAY, (3, 2, 1)),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), DatePrecision.MONTH, (1, 2, None)),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE), DatePrecision.QUARTER, None),
    (re.compile(r"^(\d{4})$"), DatePrecision.YEAR, (1, None, None)),
]


def parse_date(text: str) -> tuple[datetime.date, str]:
    """A date and the precision its form implies: 2025-10-21, 21/10/2025, 2025-10, 2025-Q4, 2025."""
    for pattern, precision, groups in _PATTERNS:
        match = pattern.match(text.strip())
        if not match:
            continue
        if problem := year_problem(int(match[1] if groups is None else match[groups[0]])):
            raise ValueError(f"“{text}”: {problem}")
        if groups is None:  # the quarter: 2025-Q4
            year, quarter = int(match[1]), int(match[2])
            return datetime.date(year, 3 * quarter - 2, 1), precision
        year_g, month_g, day_g = groups
        parts = (int(match[year_g]), int(match[month_g]) if month_g else 1)
        try:
            return datetime.date(*parts, int(match[day_g]) if day_g else 1), precision
        except ValueError:
            raise ValueError(f"“{text}” is not a real date.") from None
    raise ValueError(
        f"“{text}” is not a date HubTracker can read: use 2025-10-21, 21/10/2025, "
        "2025-10 (a month), 2025-Q4 (a quarter) or 2025 (a year)."
    )


def _choice(text: str, choices: list[tuple[str, str]], what: str) -> str:
    wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
    for value, label in choices:
        if wanted in (value.lower(), label.lower().replace("-", "_").replace(" ", "_")):
            return value
    allowed = ", ".join(value for value, _ in choices)
    raise ValueError(f"Unknown {what} “{text}”: use one of {allowed}.")


class _Lookups:
    """Countries and candidacies of one scheme, read once."""

    def __init__(self, scheme: Scheme) -> None:
        self.candidacies = {
            c.country_id: c for c in scheme.candidacies.select_related("country").all()
        }
        self.countries: dict[str, Country] = {}
        for country in Country.objects.all():
            self.countries[country.name.casefold()] = country
            self.countries[country.code.casefold()] = country
            self.countries[country.slug.casefold()] = country

    def candidacy(self, text: str, scheme: Scheme) -> Candidacy | None:
        if not text:
            return None
        country = self.countries.get(text.casefold())
        if country is None:
            raise ValueError(f"Unknown country “{text}”: use its name or its three-letter code.")
        if country.pk not in self.candidacies:
            raise ValueError(f"{country} is not a candidate in {scheme}.")
        return self.candidacies[country.pk]


@dataclass
class _ParsedRow:
    candidacy: Candidacy | None
    details: EventDetails
    source_fields: dict[str, Any] | None


def _parse_source(row: dict[str, str]) -> dict[str, Any] | None:
    outlet = row.get("source_outlet", "")
    if not outlet:
        return None
    published = row.get("source_published_on", "")
    return {
        "outlet": outlet,
        "title": row.get("source_title", ""),
        "url": row.get("source_url", ""),
        "published_on": parse_date(published)[0] if published else None,
        "reliability": _choice(
            row.get("source_reliability", "") or "?", Reliability.choices, "source_reliability"
        ),
        "reliability_note": _limited(
            row.get("source_reliability_note", ""), 300, "source_reliability_note"
        ),
    }


def _parse_row(
    row: dict[str, str], *, scheme: Scheme, lookups: _Lookups, user: Person
) -> tuple[_ParsedRow | None, list[str]]:
    """(_ParsedRow or None, errors) for one CSV row."""
    errors: list[str] = []
    values: dict[str, Any] = {}

    def attempt(name: str, read: Callable[[], Any]) -> None:
        try:
            values[name] = read()
        except ValueError as error:
            errors.append(str(error))

    attempt("scheme", lambda: _same_scheme(row.get("scheme", ""), scheme))
    attempt("candidacy", lambda: lookups.candidacy(row.get("country", ""), scheme))
    attempt("date", lambda: parse_date(row["date"]) if row.get("date") else _missing("date"))
    attempt("kind", lambda: _choice(row.get("kind", "") or "?", EventKind.choices, "kind"))
    attempt("title", lambda: _limited(row.get("title") or _missing("title"), 200, "title"))
    attempt("speaker", lambda: _limited(row.get("speaker", ""), 200, "speaker"))
    attempt("status", lambda: _status(row.get("new_status", "")))
    attempt("classification", lambda: _classification(row.get("classification", ""), user))
    attempt("precision", lambda: _precision(row.get("precision", "")))
    attempt("source", lambda: _parse_source(row))
    if errors:
        return None, errors
    occurred_on, implied = values["date"]
    details = EventDetails(
        occurred_on=occurred_on,
        precision=values["precision"] or implied,
        kind=values["kind"],
        title=values["title"],
        summary=row.get("summary", ""),
        quote=row.get("quote", ""),
        speaker=values["speaker"],
        new_status=values["status"],
        classification=values["classification"],
    )
    return _ParsedRow(values["candidacy"], details, values["source"]), []


def _same_scheme(text: str, scheme: Scheme) -> None:
    """A row may name its scheme (exports do); it must be the scheme being imported into."""
    if text and text.casefold() not in (scheme.slug.casefold(), scheme.name.casefold()):
        raise ValueError(
            f"This row belongs to the scheme “{text}”, not {scheme}: import it on that "
            "scheme's page, or leave the scheme column empty."
        )


def _not_current(row: dict[str, str]) -> str | None:
    """Why a row that an export marked as retracted or superseded is not imported as new."""
    state = row.get("state", "").casefold()
    if state and state != event_csv.CURRENT:
        return (
            f"This row is a {state} event: only current events are imported. "
            "Remove the row, or clear its state column to record it again."
        )
    return None


def _limited(text: str, limit: int, column: str) -> str:
    if len(text) > limit:
        raise ValueError(f"The {column} is {len(text)} characters long: at most {limit}.")
    return text


def _missing(column: str) -> NoReturn:
    raise ValueError(f"The {column} is empty.")


def _status(text: str) -> str:
    return _choice(text, Status.choices, "new_status") if text else ""


def _precision(text: str) -> str:
    return _choice(text, DatePrecision.choices, "precision") if text else ""


def _classification(text: str, user: Person) -> str:
    value = _choice(text, Classification.choices, "classification") if text else "official"
    if access.is_sensitive_classification(value) and not access.sees_sensitive(user):
        raise ValueError("You need clearance to import OFFICIAL-SENSITIVE rows.")
    return value


# Applying the rows --------------------------------------------------------------------------
def _already_present(parsed: _ParsedRow, *, scheme: Scheme, user: Person) -> bool:
    day = period_start(parsed.details.occurred_on, parsed.details.precision)
    events = access.visible_events(user).filter(
        scheme=scheme, occurred_on=day, title__iexact=parsed.details.title
    )
    if parsed.candidacy is None:
        return events.filter(candidacy__isnull=True).exists()
    return events.filter(candidacy=parsed.candidacy).exists()


def _source(fields: dict[str, Any] | None, user: Person) -> Source | None:
    if fields is None:
        return None
    match = (
        Q(url=fields["url"])
        if fields["url"]
        else Q(
            outlet__iexact=fields["outlet"],
            title__iexact=fields["title"],
            published_on=fields["published_on"],
        )
    )
    existing = access.visible_sources(user, Source.objects.filter(match)).order_by("pk").first()
    return existing or add_source(by=user, **fields)


def _record(parsed: _ParsedRow, *, scheme: Scheme, user: Person) -> None:
    candidacy = parsed.candidacy
    version = None
    if candidacy is not None:
        # Locked here, so no other write can move the version before record_event checks it.
        locked = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
        version = access.seen_version(user, locked)
    with transaction.atomic():
        source = _source(parsed.source_fields, user)
        details = EventDetails(**{**parsed.details.__dict__, "source": source})
        record_event(
            scheme=scheme,
            candidacy=candidacy,
            details=details,
            by=user,
            expected_version=version,
            action=AuditAction.IMPORTED,
        )


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [str(error)]


def _apply_row(
    line: int,
    row: dict[str, str],
    *,
    scheme: Scheme,
    lookups: _Lookups,
    user: Person,
    seen: dict[tuple[Any, datetime.date, str], int],
) -> RowResult:
    result = RowResult(
        line=line,
        country=row.get("country", ""),
        date=row.get("date", ""),
        title=row.get("title", ""),
        new_status=row.get("new_status", ""),
    )
    parsed, errors = _parse_row(row, scheme=scheme, lookups=lookups, user=user)
    if parsed is not None:
        day = period_start(parsed.details.occurred_on, parsed.details.precision)
        key = (parsed.candidacy and parsed.candidacy.pk, day, parsed.details.title.casefold())
        if key in seen:
            errors.append(f"Repeats row {seen[key]} (same country, date and title).")
        else:
            seen[key] = line
    if parsed is None or errors:  # a row that does not parse always has errors
        result.outcome, result.errors = ERROR, errors
        return result
    if _already_present(parsed, scheme=scheme, user=user):
        result.outcome = PRESENT
        return result
    if not errors and (reason := _not_current(row)):
        errors.append(reason)
    if not errors:
        try:
            _record(parsed, scheme=scheme, user=user)
        except TransitionRefused as refused:
            errors.append(str(refused))
        except ValidationError as error:
            errors.extend(_messages(error))
    if errors:
        result.outcome, result.errors = ERROR, errors
    return result


def _authorise(user: Person) -> None:
    access.require(user, access.IMPORT)
    access.require(user, access.RECORD)


def run_import(*, scheme: Scheme, text: str, by: Person, commit: bool) -> ImportReport:
    """Check every row of `text` in file order; write them all only if `commit` and none fails."""
    _authorise(by)
    report = ImportReport()
    try:
        _, rows = _read(text)
    except FileRefused as refused:
        report.file_errors.append(str(refused))
        return report
    lookups, seen = _Lookups(scheme), dict[tuple[Any, datetime.date, str], int]()
    with transaction.atomic():
        if commit:
            # One import into a scheme at a time: a second confirm of the same file waits, then
            # finds every row already present (no duplicates, no version conflict).
            Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
        for line, row in enumerate(rows, start=2):
            report.rows.append(
                _apply_row(line, row, scheme=scheme, lookups=lookups, user=by, seen=seen)
            )
        if not (commit and report.ok):
            transaction.set_rollback(True)
    return report


def template_csv() -> str:
    """The template: the exact column names and one example row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(EXAMPLE_ROW)
    return out.getvalue()
