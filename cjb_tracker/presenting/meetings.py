"""The Meetings page: which meeting, and what changed since the previous one of its body."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cjb_tracker.presenting.paging import total_rows
from cjb_tracker.presenting.shared import meeting_label, uk_date


def meeting_labels(meetings: pd.DataFrame) -> dict[str, str]:
    """meeting_id -> 'CJB · 13 Oct 2021 — Board meeting October 2021', newest first."""
    return {
        m: f"{b} · {meeting_label(d, t)}"
        for m, b, d, t in zip(
            meetings["meeting_id"],
            meetings["body"],
            meetings["held_on"],
            meetings["title"],
            strict=True,
        )
    }


def default_meeting(meetings: pd.DataFrame, as_at: dt.date) -> str | None:
    """The most recent meeting held on or before as_at, else the earliest one."""
    if meetings.empty:
        return None
    held = meetings[meetings["held_on"] <= pd.Timestamp(as_at)]
    chosen = held if len(held) else meetings.iloc[::-1]
    return str(chosen["meeting_id"].iloc[0])


def previous_meeting_text(meetings: pd.DataFrame, meeting_id: str) -> str:
    """'Compared with 14 Jul 2021 (CJB:2021-07-14)', or why there is nothing to compare."""
    row = meetings[meetings["meeting_id"] == meeting_id]
    if row.empty or pd.isna(row["previous_meeting_id"].iloc[0]):
        return "This is the body's first meeting: changes are shown against the day before it."
    previous = row.iloc[0]
    return (
        f"Changes since the previous meeting of {previous['body']}, held "
        f"{uk_date(previous['previous_held_on'])}."
    )


CHANGE_KINDS: tuple[str, ...] = (
    "Status changed",
    "RAG changed",
    "Newly overdue",
    "Closure proposed for decision",
    "Due date changed",
    "New recommendation",
)


def changes_by_kind(changes: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The meeting's changes split into one table per kind, in CHANGE_KINDS order; every
    kind is listed, empty ones too, so 'none' is an answer rather than an absence. Each
    table keeps kind_total (how many changes of its kind there are in all)."""
    # Positions, not a boolean mask per kind: pandas takes a third of the time.
    kinds, rest = changes["change"].to_numpy(), changes.drop(columns="change")
    return [
        (kind, rest.iloc[np.flatnonzero(kinds == kind)].reset_index(drop=True))
        for kind in CHANGE_KINDS
    ]


def owed_by_lead(owed: pd.DataFrame) -> pd.DataFrame | None:
    """How many updates each lead owes, most first (as updates_owed_by_lead.sql counts
    them), from a page of updates_owed.sql that holds every row; None when it holds only
    some (the query must count them)."""
    if total_rows(owed) > len(owed):
        return None
    counts = owed.groupby("lead", sort=False).size().rename("updates owed").reset_index()
    return counts.sort_values(["updates owed", "lead"], ascending=[False, True]).reset_index(
        drop=True
    )
