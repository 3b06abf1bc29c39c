"""What every page shares: the sidebar's filters, today in London, dates as the tracker
prints them, user text made safe in markdown, and the choices a filter offers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

LONDON = ZoneInfo("Europe/London")
NOT_SET = "not set"


def london_today() -> dt.date:
    """Today where the Board sits: the default 'as at' date."""
    return dt.datetime.now(LONDON).date()


@dataclass(frozen=True)
class Filters:
    """The sidebar's shared filters; None means 'all'."""

    report: str | None = None
    body: str | None = None
    addressee: str | None = None
    lead: str | None = None
    as_at: dt.date = field(default_factory=london_today)

    def selection(self) -> dict[str, Any]:
        """The $report, $body, $addressee and $lead parameters of the filtered queries."""
        return {
            "report": self.report,
            "body": self.body,
            "addressee": self.addressee,
            "lead": self.lead,
        }

    def params(self) -> dict[str, Any]:
        """The selection plus $as_at."""
        return {**self.selection(), "as_at": self.as_at}

    def describe(self) -> str:
        """'As at 13 Sep 2021 · lead: DS Patel' — what every number on the page respects."""
        chosen = [f"{name}: {value}" for name, value in self.selection().items() if value]
        return " · ".join([f"As at {uk_date(self.as_at)}", *chosen])


def uk_date(value: Any) -> str:
    """A date as the tracker prints it: '13 Sep 2021'; a missing date reads 'not set'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return NOT_SET
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp.strftime('%b %Y')}"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def escape_markdown(text: Any) -> str:
    """User-written text made safe inside a markdown element: every character markdown
    could read as syntax (links, images, emphasis, HTML) is escaped, so it shows as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def choices(filter_choices: pd.DataFrame, name: str) -> list[str]:
    """The values one filter offers, from filter_choices.sql."""
    return [str(v) for v in filter_choices.loc[filter_choices["filter"] == name, "value"]]


def slug(text: str) -> str:
    """'changes Status changed' -> 'changes-status-changed': a key safe in a CSS class."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def meeting_label(held_on: Any, title: Any) -> str:
    return f"{uk_date(held_on)} — {title}" if isinstance(title, str) and title else uk_date(held_on)
