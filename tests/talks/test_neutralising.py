"""Formula neutralising in spreadsheet exports, and its undoing on import.

A cell that starts with a character a spreadsheet treats as the start of a formula is written
with a leading quote, so Excel and LibreOffice show the text instead of running it; the CSV
import takes the quote off again, so an exported file imports unchanged. Text that only looks
similar (a quote in front of ordinary words, a formula character later in the text) is left as
it is both ways.
"""

import datetime

import pytest

from talks.documents.exports import neutralise
from talks.models import DatePrecision
from talks.rules.event_csv import date_text, restore

RUNNABLE = [
    '=HYPERLINK("http://example.com","click")',
    "+44 20 7946 0000",
    "-1 in the poll",
    "@SUM(A1:A9)",
    "\t=cmd|' /C calc'!A0",
    "\r=1+1",
    "'=1+1",
    "''-3",
]
PLAIN = ["Osmani: talks go on", "a=b", "Kosovo +1", "'Tis the season", "", "'"]


@pytest.mark.parametrize("text", RUNNABLE)
def test_text_a_spreadsheet_would_run_is_written_with_a_leading_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_text_a_spreadsheet_would_not_run_is_written_as_it_is(text):
    assert neutralise(text) == text


def test_an_empty_cell_is_written_empty_and_numbers_and_dates_stay_values():
    assert neutralise(None) == ""
    assert neutralise(42) == 42
    assert neutralise(datetime.date(2025, 5, 16)) == datetime.date(2025, 5, 16)


@pytest.mark.parametrize("text", RUNNABLE + PLAIN)
def test_a_cell_reads_back_on_import_as_it_was_before_export(text):
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", ["'Tis the season", "'quoted'", "'", "''", "a'=b"])
def test_a_quote_the_writer_did_not_add_is_kept_on_import(text):
    assert restore(text) == text


@pytest.mark.parametrize(
    ("day", "precision", "text"),
    [
        (datetime.date(2025, 10, 21), DatePrecision.DAY, "2025-10-21"),
        (datetime.date(2025, 10, 1), DatePrecision.MONTH, "2025-10"),
        (datetime.date(2025, 1, 1), DatePrecision.QUARTER, "2025-Q1"),
        (datetime.date(2025, 3, 31), DatePrecision.QUARTER, "2025-Q1"),
        (datetime.date(2025, 4, 1), DatePrecision.QUARTER, "2025-Q2"),
        (datetime.date(2025, 10, 1), DatePrecision.QUARTER, "2025-Q4"),
        (datetime.date(2025, 1, 1), DatePrecision.YEAR, "2025"),
    ],
)
def test_an_exported_date_is_written_at_its_precision(day, precision, text):
    assert date_text(day, precision) == text
