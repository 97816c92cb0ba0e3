"""Dates of uneven precision: "15 May 2025", "May 2025", "Q4 2025", "2025"."""

import datetime

from talks.models import DatePrecision


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
