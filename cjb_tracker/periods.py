"""Periods as statistics are published, each read to its first and last day.

A measures file names the period a figure covers the way the publisher wrote it:

- a quarter: 'Apr - Jun 2022', 'April to June 2022', '2022/23 Q1' (financial: Q1 is April to
  June), '2022 Q1' or 'Q1 2022' (calendar: Q1 is January to March);
- a run of months: 'Jul 2021 - Jun 2022', 'Nov 2021 - Jan 2022';
- a rolling year: '12 months to Jun 2022', 'year ending June 2022', 'YE Jun 2022';
- a financial year '2022/23', a calendar year '2022', a month 'Jun 2022' or '2022-06';
- a single date '30/06/2022', '2022-06-30' or '30 Jun 2022' (a count on a day), or two dates
  '01/04/2022 - 30/06/2022'.

An optional granularity (the CJS Delivery Data Dashboard's `date_granularity`) says how long
each period is. With it, a bare month or date is the end of the period ('Jun 2022' with
'Rolling year' is July 2021 to June 2022), and a label of another length is refused.

The kind of a period follows from its length: a day, a month, a quarter (3 months), a year
(12 months, whether financial, calendar or rolling), other whole months ('months') or any
other run of days ('range'). Dates are day first, never month first (as everywhere in the
tracker).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

KINDS: tuple[str, ...] = ("day", "month", "quarter", "year", "months", "range")
# How the kinds read in a sentence: 'the last quarter wholly before ...'.
KIND_WORDS: dict[str, str] = {
    "day": "figure",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
    "months": "period",
    "range": "period",
}

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
    _MONTHS[calendar.month_name[_number].lower()] = _number
_MONTHS["sept"] = 9
_MONTH = (
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april"
    r"|june|july|august|september|october|november|december)"
)

# The words a granularity may be given in, and the kind each means.
GRANULARITIES: dict[str, str] = {
    "day": "day",
    "daily": "day",
    "date": "day",
    "snapshot": "day",
    "month": "month",
    "monthly": "month",
    "quarter": "quarter",
    "quarterly": "quarter",
    "qtr": "quarter",
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "financialyear": "year",
    "calendaryear": "year",
    "rollingyear": "year",
    "rolling12months": "year",
    "rolling12month": "year",
    "12months": "year",
    "12monthrolling": "year",
    "yearending": "year",
}
_LENGTH_IN_MONTHS = {"month": 1, "quarter": 3, "year": 12}

HOW_TO_WRITE = (
    "Write a quarter as 'Apr - Jun 2022' or '2022/23 Q1', a month as 'Jun 2022', a rolling "
    "year as '12 months to Jun 2022', a financial year as '2022/23', or a date as 30/06/2022"
)


class PeriodError(ValueError):
    """A period that cannot be read; the message says what to write instead."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def kind(self) -> str:
        return kind_of(self.start, self.end)


def kind_of(start: dt.date, end: dt.date) -> str:
    """'day', 'month', 'quarter', 'year', 'months' (other whole months) or 'range'."""
    if start == end:
        return "day"
    if start == _year_before(end):
        return "year"
    months = _whole_months(start, end)
    if months is None:
        return "range"
    return {1: "month", 3: "quarter", 12: "year"}.get(months, "months")


def _whole_months(start: dt.date, end: dt.date) -> int | None:
    """How many calendar months the period covers when it runs from a first day of a month
    to a last day of a month (else None)."""
    if start.day != 1 or end != _month_end(end.year, end.month):
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _months_before(year: int, month: int, count: int) -> dt.date:
    """The first day of the run of `count` months that ends with (year, month)."""
    index = year * 12 + (month - 1) - (count - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def _clean(label: str) -> str:
    text = label.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text.strip().lower())
    # A dash between words ('Apr-Jun 2022', 'Jul 2021-Jun 2022') or with a space beside it
    # separates two ends; one between digits belongs to a date ('2022-06-30', '2022-23').
    text = re.sub(r"(?<=[a-z0-9])-(?=[a-z])|(?<=[a-z])-(?=[0-9])", " - ", text)
    return re.sub(r" -|- ", " - ", text).replace("  ", " ")


def granularity_kind(granularity: str | None) -> str | None:
    """The kind a granularity word names (None when none is given); a word not known is a
    PeriodError."""
    if granularity is None or not granularity.strip():
        return None
    key = re.sub(r"[\s_\-]+", "", granularity.strip().lower())
    if key in GRANULARITIES:
        return GRANULARITIES[key]
    raise PeriodError(
        f"'{_shown(granularity)}' is not a granularity. Use Month, Quarter, Year (also "
        "Financial year, Rolling year) or Day, or leave it empty."
    )


def parse_period(label: str, granularity: str | None = None) -> Period:
    """The period a label names (see the module's docstring); a PeriodError says why not."""
    expected = granularity_kind(granularity)
    text = _clean(label)
    if not text:
        raise PeriodError("period is empty. " + HOW_TO_WRITE + ".")
    found = _read(text, expected)
    if found is None:
        hint = month_first_hint(label)
        if hint is not None:
            raise PeriodError(hint + ".")
        if _DAY_FIRST.match(text) or _ISO.match(text):
            raise PeriodError(f"'{_shown(label)}' is not a date in the calendar.")
        raise PeriodError(f"'{_shown(label)}' is not a period. {HOW_TO_WRITE}.")
    if expected is not None and found.kind != expected:
        raise PeriodError(
            f"'{_shown(label)}' is a {found.kind} ({_span(found)}), but the granularity "
            f"says {expected}. Check the period or the granularity."
        )
    return found


def _span(period: Period) -> str:
    return f"{period.start:%-d %b %Y} to {period.end:%-d %b %Y}"


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _read(text: str, expected: str | None) -> Period | None:
    for reader in (_quarter, _month_run, _rolling_year, _financial, _single_month, _dates):
        found = reader(text, expected)
        if found is not None:
            return found
    return None


# --- The forms ---------------------------------------------------------------------------

_MONTH_RANGE = re.compile(rf"^{_MONTH}(?: (\d{{4}}))? (?:-|to) {_MONTH} (\d{{4}})$")
_FY = r"(\d{4})(?:/|-)(\d{2}|\d{4})"
_QUARTER_FY = re.compile(
    rf"^(?:fy ?)?{_FY} (?:q|quarter )([1-4])$|^(?:q|quarter )([1-4]) (?:fy ?)?{_FY}$"
)
_QUARTER_CAL = re.compile(r"^(\d{4}) (?:q|quarter )([1-4])$|^(?:q|quarter )([1-4]) (\d{4})$")
_ROLLING = re.compile(
    rf"^(?:rolling )?(?:12 months?|twelve months|year|ye)(?: (?:to|ending|ended|end))?(?: in)?"
    rf" (?:(\d{{1,2}}) )?{_MONTH} (\d{{4}})$"
)
_FINANCIAL = re.compile(rf"^(?:fy ?|financial year )?{_FY}$")
_YEAR = re.compile(r"^(?:calendar year )?(\d{4})$")
_MONTH_ONLY = re.compile(rf"^{_MONTH} (\d{{4}})$|^(\d{{4}})-(\d{{2}})$")


def _quarter(text: str, expected: str | None) -> Period | None:
    text = re.sub(r"(\d)(q[1-4])$", r"\1 \2", text)
    text = re.sub(r"^(q[1-4])(\d)", r"\1 \2", text)
    fiscal = _QUARTER_FY.match(text)
    if fiscal:
        first, second, q1, q2, first2, second2 = fiscal.groups()
        year = _fy_start(first or first2, second or second2)
        if year is None:
            return None
        quarter = int(q1 or q2)
        start_index = (year * 12 + 3) + (quarter - 1) * 3  # April of the first year
        start = dt.date(start_index // 12, start_index % 12 + 1, 1)
        return Period(start, _month_end_after(start, 3))
    calendar_q = _QUARTER_CAL.match(text)
    if calendar_q:
        y1, q1, q2, y2 = calendar_q.groups()
        year, quarter = int(y1 or y2), int(q1 or q2)
        start = dt.date(year, (quarter - 1) * 3 + 1, 1)
        return Period(start, _month_end_after(start, 3))
    return None


def _month_end_after(start: dt.date, months: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + months - 1
    return _month_end(index // 12, index % 12 + 1)


def _fy_start(first: str, second: str) -> int | None:
    """The first year of a financial year written '2022/23' or '2022/2023' (None when the
    second year does not follow the first)."""
    year = int(first)
    follows = int(second) == (year + 1) % 100 if len(second) == 2 else int(second) == year + 1
    return year if follows else None


def _month_run(text: str, expected: str | None) -> Period | None:
    found = _MONTH_RANGE.match(text)
    if not found:
        return None
    first_month, first_year, last_month, last_year = found.groups()
    end_year, end_month = int(last_year), _MONTHS[last_month]
    start_month = _MONTHS[first_month]
    if first_year is not None:
        start_year = int(first_year)
    else:  # 'Nov - Jan 2022': the year written is the last month's
        start_year = end_year if start_month <= end_month else end_year - 1
    start = dt.date(start_year, start_month, 1)
    end = _month_end(end_year, end_month)
    return Period(start, end) if start <= end else None


def _rolling_year(text: str, expected: str | None) -> Period | None:
    found = _ROLLING.match(text)
    if not found:
        return None
    day, month, year = found.groups()
    month_number = _MONTHS[month]
    if day is None:
        end = _month_end(int(year), month_number)
    else:
        try:
            end = dt.date(int(year), month_number, int(day))
        except ValueError:
            return None
    return Period(_year_before(end), end)


def _year_before(end: dt.date) -> dt.date:
    """The first day of the year that ends on `end`."""
    if end == _month_end(end.year, end.month):
        return _months_before(end.year, end.month, 12)
    try:
        return end.replace(year=end.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return dt.date(end.year - 1, 3, 1)


def _financial(text: str, expected: str | None) -> Period | None:
    found = _FINANCIAL.match(text)
    if found:
        year = _fy_start(*found.groups())
        if year is None:
            return None
        return Period(dt.date(year, 4, 1), dt.date(year + 1, 3, 31))
    calendar_year = _YEAR.match(text)
    if calendar_year:
        year = int(calendar_year.group(1))
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return None


def _single_month(text: str, expected: str | None) -> Period | None:
    found = _MONTH_ONLY.match(text)
    if not found:
        return None
    name, year, iso_year, iso_month = found.groups()
    if name is not None:
        year_number, month = int(year), _MONTHS[name]
    else:
        year_number, month = int(iso_year), int(iso_month)
        if not 1 <= month <= 12:
            return None
    # With a granularity, a month names the end of a period of that length.
    months = _LENGTH_IN_MONTHS.get(expected or "month", 1)
    return Period(_months_before(year_number, month, months), _month_end(year_number, month))


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?: 00:00(?::00)?)?$")
_WORDS = re.compile(rf"^(\d{{1,2}}) {_MONTH} (\d{{4}})$")


def read_date(text: str) -> dt.date | None:
    """A date as the tracker reads one: day first (30/06/2022, 30-06-2022, 30.06.2022), ISO
    (2022-06-30, also with a midnight time, as Excel's date cells arrive) or '30 Jun 2022'."""
    try:
        if found := _DAY_FIRST.match(text):
            day, month, year = (int(g) for g in found.groups())
            return dt.date(year, month, day)
        if found := _ISO.match(text):
            year, month, day = (int(g) for g in found.groups())
            return dt.date(year, month, day)
        if found := _WORDS.match(text):
            day_text, month_name, year_text = found.groups()
            return dt.date(int(year_text), _MONTHS[month_name], int(day_text))
    except ValueError:
        return None
    return None


def _dates(text: str, expected: str | None) -> Period | None:
    parts = re.split(r" - | to ", text)
    if len(parts) == 2:
        start, end = read_date(parts[0]), read_date(parts[1])
        if start is None or end is None or end < start:
            return None
        return Period(start, end)
    if len(parts) != 1 or (day := read_date(text)) is None:
        return None
    if expected in _LENGTH_IN_MONTHS:  # with a granularity: the period ending that day
        months = _LENGTH_IN_MONTHS[expected]
        if day == _month_end(day.year, day.month):
            return Period(_months_before(day.year, day.month, months), day)
        return None
    return Period(day, day)


def month_first_hint(label: str) -> str | None:
    """For '06/30/2022', the day-first way to write it; None for anything else."""
    found = _DAY_FIRST.match(label.strip())
    if not found:
        return None
    first, second, year = found.groups()
    if int(second) > 12 >= int(first):
        written = label.strip()
        return f"'{written}' looks month-first; dates are day first: write {second}/{first}/{year}"
    return None


def label(period: Period) -> str:
    """A period as the tracker prints it: 'Apr - Jun 2022', 'Jul 2021 - Jun 2022',
    'Jun 2022', '30 Jun 2022' or '1 Apr 2022 - 15 May 2022'."""
    start, end = period.start, period.end
    kind = period.kind
    if kind == "day":
        return f"{start.day} {start:%b %Y}"
    if kind == "month":
        return f"{start:%b %Y}"
    if kind in ("quarter", "year", "months"):
        if start.year == end.year:
            return f"{start:%b} - {end:%b %Y}"
        return f"{start:%b %Y} - {end:%b %Y}"
    return f"{start.day} {start:%b %Y} - {end.day} {end:%b %Y}"
