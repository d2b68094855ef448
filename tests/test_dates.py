"""The archive's date range: what an article's date may be, and which dates deserve a second look."""

import datetime as dt

import pytest

from archive.dates import ARCHIVE_FIRST_DATE, ARCHIVE_LAST_DATE, article_date_problem, article_date_warning

TODAY = dt.date(2026, 12, 1)


def test_the_range_is_years_1_to_9998():
    assert ARCHIVE_FIRST_DATE == dt.date(1, 1, 1)
    assert ARCHIVE_LAST_DATE == dt.date(9998, 12, 31)


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1987, 3, 1), dt.date(9998, 12, 31)])
def test_a_date_inside_the_range_has_no_problem(day):
    assert article_date_problem(day) is None


@pytest.mark.parametrize("day", [dt.date(9999, 1, 1), dt.date(9999, 12, 31)])
def test_a_date_past_the_range_is_a_problem_that_names_the_range(day):
    problem = article_date_problem(day)
    assert problem and "0001-01-01" in problem and "9998-12-31" in problem and day.isoformat() in problem


@pytest.mark.parametrize(
    "day", [dt.date(1987, 3, 1), TODAY, TODAY + dt.timedelta(days=365), dt.date(1600, 1, 1)]
)
def test_a_plausible_date_has_no_warning(day):
    assert article_date_warning(day, TODAY) is None


def test_a_date_before_1600_is_worth_a_warning():
    warning = article_date_warning(dt.date(198, 1, 5), TODAY)
    assert warning and "0198-01-05" in warning and "1600" in warning


def test_a_date_over_a_year_ahead_is_worth_a_warning():
    warning = article_date_warning(TODAY + dt.timedelta(days=366), TODAY)
    assert warning and "future" in warning


def test_a_date_outside_the_range_is_a_problem_not_a_warning():
    assert article_date_warning(dt.date(9999, 12, 31), TODAY) is None
