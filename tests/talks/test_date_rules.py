"""Dates of uneven precision as users type and read them (talks/rules/dates.py).

An event reported as "May 2025" or "Q4 2025" sorts and takes effect from the first day of its
period, and every page prints a date at the precision it was reported with.
"""

import datetime

import pytest

from talks.models import DatePrecision
from talks.rules.dates import date_label, period_start, short_date_label, year_problem

DAY, MONTH, QUARTER, YEAR = (
    DatePrecision.DAY,
    DatePrecision.MONTH,
    DatePrecision.QUARTER,
    DatePrecision.YEAR,
)


@pytest.mark.parametrize("year", [1900, 1901, 2025, 2099, 2100])
def test_years_from_1900_to_2100_can_be_stored(year):
    assert year_problem(year) == ""


@pytest.mark.parametrize("year", [1, 1899, 2101, 9999])
def test_a_year_outside_1900_to_2100_is_refused_with_the_range_to_use(year):
    assert year_problem(year) == "The year must be between 1900 and 2100, like 2025."


def test_a_day_date_takes_effect_on_that_day():
    assert period_start(datetime.date(2025, 5, 16), DAY) == datetime.date(2025, 5, 16)


def test_a_month_date_takes_effect_on_the_first_of_the_month():
    assert period_start(datetime.date(2025, 5, 16), MONTH) == datetime.date(2025, 5, 1)


@pytest.mark.parametrize(
    ("month", "quarter_starts"),
    [(1, 1), (2, 1), (3, 1), (4, 4), (5, 4), (6, 4), (7, 7), (8, 7), (9, 7), (10, 10), (12, 10)],
)
def test_a_quarter_date_takes_effect_on_the_first_day_of_its_quarter(month, quarter_starts):
    day = datetime.date(2025, month, 28)
    assert period_start(day, QUARTER) == datetime.date(2025, quarter_starts, 1)


def test_a_year_date_takes_effect_on_the_first_of_january():
    assert period_start(datetime.date(2025, 10, 21), YEAR) == datetime.date(2025, 1, 1)


@pytest.mark.parametrize(
    ("day", "precision", "label"),
    [
        (datetime.date(2025, 9, 5), DAY, "5 September 2025"),
        (datetime.date(2025, 9, 5), MONTH, "September 2025"),
        (datetime.date(2025, 3, 31), QUARTER, "Q1 2025"),
        (datetime.date(2025, 4, 1), QUARTER, "Q2 2025"),
        (datetime.date(2025, 9, 30), QUARTER, "Q3 2025"),
        (datetime.date(2025, 10, 1), QUARTER, "Q4 2025"),
        (datetime.date(2025, 12, 31), QUARTER, "Q4 2025"),
        (datetime.date(2025, 9, 5), YEAR, "2025"),
    ],
)
def test_a_date_reads_at_the_precision_it_was_reported_with(day, precision, label):
    assert date_label(day, precision) == label


@pytest.mark.parametrize(
    ("day", "precision", "label"),
    [
        (datetime.date(2025, 9, 5), DAY, "5 Sep 2025"),
        (datetime.date(2025, 9, 5), MONTH, "Sep 2025"),
        (datetime.date(2025, 11, 5), QUARTER, "Q4 2025"),
        (datetime.date(2025, 9, 5), YEAR, "2025"),
    ],
)
def test_table_cells_shorten_the_month_but_keep_the_precision(day, precision, label):
    assert short_date_label(day, precision) == label
