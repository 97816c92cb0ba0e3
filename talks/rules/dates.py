"""Dates of uneven precision: "15 May 2025", "May 2025", "Q4 2025", "2025"."""

import datetime

from talks.models import DatePrecision

# The one rule for dates HubTracker stores (event dates, source publication dates), whether typed
# in a form or read from a CSV file: the year is between these.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def year_problem(year: int) -> str:
    """Why a date in `year` cannot be stored, or "" if it can."""
    if EARLIEST_YEAR <= year <= LATEST_YEAR:
        return ""
    return f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}, like 2025."


def period_start(day: datetime.date, precision: str) -> datetime.date:
    """The first day of the period that `day` falls in, so events sort by when they began."""
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    if precision == DatePrecision.QUARTER:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if precision == DatePrecision.YEAR:
        return datetime.date(day.year, 1, 1)
    return day


def date_label(day: datetime.date, precision: str) -> str:
    if precision == DatePrecision.MONTH:
        return day.strftime("%B %Y")
    if precision == DatePrecision.QUARTER:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == DatePrecision.YEAR:
        return str(day.year)
    return f"{day.day} {day:%B %Y}"


def short_date_label(day: datetime.date, precision: str) -> str:
    """For table cells: "15 May 2025", "May 2025", "Q4 2025" or "2025"."""
    if precision == DatePrecision.MONTH:
        return day.strftime("%b %Y")
    if precision in (DatePrecision.QUARTER, DatePrecision.YEAR):
        return date_label(day, precision)
    return f"{day.day} {day:%b %Y}"
