"""Periods as statistics are published (issue 18): every form read to its first and last
day, a granularity making a bare month the end of a longer period, and every unreadable
period a sentence saying what to write."""

from __future__ import annotations

import datetime as dt

import pytest

from cjb_tracker import periods
from cjb_tracker.periods import PeriodError, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("written", "granularity", "start", "end", "kind"),
    [
        # Quarters as months, as the CJS Delivery Data Dashboard writes them, and as words.
        ("Apr - Jun 2022", None, D(2022, 4, 1), D(2022, 6, 30), "quarter"),
        ("Apr-Jun 2022", None, D(2022, 4, 1), D(2022, 6, 30), "quarter"),
        ("Apr \u2013 Jun 2022", None, D(2022, 4, 1), D(2022, 6, 30), "quarter"),
        ("April to June 2022", None, D(2022, 4, 1), D(2022, 6, 30), "quarter"),
        ("Nov - Jan 2022", None, D(2021, 11, 1), D(2022, 1, 31), "quarter"),
        # Financial quarters: Q1 is April to June.
        ("2022/23 Q1", None, D(2022, 4, 1), D(2022, 6, 30), "quarter"),
        ("2022/23 Q4", None, D(2023, 1, 1), D(2023, 3, 31), "quarter"),
        ("2022-23 Q2", None, D(2022, 7, 1), D(2022, 9, 30), "quarter"),
        ("Q3 2022/23", None, D(2022, 10, 1), D(2022, 12, 31), "quarter"),
        # Calendar quarters: Q1 is January to March.
        ("2022 Q1", None, D(2022, 1, 1), D(2022, 3, 31), "quarter"),
        ("Q3 2022", None, D(2022, 7, 1), D(2022, 9, 30), "quarter"),
        # Rolling years.
        ("12 months to Jun 2022", None, D(2021, 7, 1), D(2022, 6, 30), "year"),
        ("Rolling 12 months ending June 2022", None, D(2021, 7, 1), D(2022, 6, 30), "year"),
        ("Year ending Jun 2022", None, D(2021, 7, 1), D(2022, 6, 30), "year"),
        ("YE Jun 2022", None, D(2021, 7, 1), D(2022, 6, 30), "year"),
        ("Jul 2021 - Jun 2022", None, D(2021, 7, 1), D(2022, 6, 30), "year"),
        ("Year ending 15 May 2022", None, D(2021, 5, 16), D(2022, 5, 15), "year"),
        # Years and other runs of months.
        ("2022/23", None, D(2022, 4, 1), D(2023, 3, 31), "year"),
        ("2022", None, D(2022, 1, 1), D(2022, 12, 31), "year"),
        ("Jan - Jun 2022", None, D(2022, 1, 1), D(2022, 6, 30), "months"),
        # Months.
        ("Jun 2022", None, D(2022, 6, 1), D(2022, 6, 30), "month"),
        ("June 2022", None, D(2022, 6, 1), D(2022, 6, 30), "month"),
        ("2022-06", None, D(2022, 6, 1), D(2022, 6, 30), "month"),
        # Single dates (a count on a day), and two dates.
        ("30/06/2022", None, D(2022, 6, 30), D(2022, 6, 30), "day"),
        ("2022-06-30", None, D(2022, 6, 30), D(2022, 6, 30), "day"),
        ("30 Jun 2022", None, D(2022, 6, 30), D(2022, 6, 30), "day"),
        ("2022-06-30 00:00:00", None, D(2022, 6, 30), D(2022, 6, 30), "day"),
        ("01/04/2022 - 15/05/2022", None, D(2022, 4, 1), D(2022, 5, 15), "range"),
        # A granularity makes a bare month (or a month's last day) the end of the period.
        ("Jun 2022", "Rolling year", D(2021, 7, 1), D(2022, 6, 30), "year"),
        ("Jun 2022", "Quarter", D(2022, 4, 1), D(2022, 6, 30), "quarter"),
        ("Jun 2022", "monthly", D(2022, 6, 1), D(2022, 6, 30), "month"),
        ("30/06/2022", "Quarterly", D(2022, 4, 1), D(2022, 6, 30), "quarter"),
        ("Apr - Jun 2022", "Quarter", D(2022, 4, 1), D(2022, 6, 30), "quarter"),
        ("30/06/2022", "Day", D(2022, 6, 30), D(2022, 6, 30), "day"),
    ],
)
def test_every_published_form_is_read_to_its_first_and_last_day(
    written: str, granularity: str | None, start: dt.date, end: dt.date, kind: str
) -> None:
    period = parse_period(written, granularity)
    assert (period.start, period.end, period.kind) == (start, end, kind)


@pytest.mark.parametrize(
    ("written", "granularity", "says"),
    [
        ("06/30/2022", None, "looks month-first; dates are day first: write 30/06/2022"),
        ("31/02/2022", None, "is not a date in the calendar"),
        ("Q5 2022", None, "is not a period. Write a quarter as 'Apr - Jun 2022'"),
        ("2022/24", None, "is not a period"),
        ("", None, "period is empty"),
        ("Apr - Jun 2022", "Rolling year", "is a quarter (1 Apr 2022 to 30 Jun 2022), but"),
        ("Jun 2022", "fortnightly", "'fortnightly' is not a granularity"),
    ],
)
def test_a_period_that_cannot_be_read_says_what_to_write(
    written: str, granularity: str | None, says: str
) -> None:
    with pytest.raises(PeriodError, match=".*") as raised:
        parse_period(written, granularity)
    assert says in str(raised.value)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2022/23 Q1", "Apr - Jun 2022"),
        ("Nov - Jan 2022", "Nov 2021 - Jan 2022"),
        ("12 months to Jun 2022", "Jul 2021 - Jun 2022"),
        ("2022-06", "Jun 2022"),
        ("2022-06-30", "30 Jun 2022"),
        ("01/04/2022 - 15/05/2022", "1 Apr 2022 - 15 May 2022"),
    ],
)
def test_every_period_is_printed_one_way(written: str, shown: str) -> None:
    assert periods.label(parse_period(written)) == shown
