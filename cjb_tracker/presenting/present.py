"""Presenting mode: a meeting's agenda one recommendation a screen (meeting_agenda.sql),
which meeting and which screen to open, and the facts each screen states
(presented_recommendation.sql, due_date_history.sql)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cjb_tracker import vocab
from cjb_tracker.presenting.shared import NOT_SET, uk_date

# The agenda's sections, in the order the meeting takes them (meeting_agenda.sql numbers them).
AGENDA_SECTIONS: dict[int, str] = {
    1: "Closure proposed for decision",
    2: "Status or RAG changed",
    3: "Newly overdue",
    4: "Overdue",
    5: "Other open recommendations",
}
# How the jump list names each section, short enough that a label fits its box.
AGENDA_SHORT: dict[int, str] = {
    1: "for decision",
    2: "changed",
    3: "newly overdue",
    4: "overdue",
    5: "other",
}
# Up to this many screens the jump list names each; beyond, a number box goes to one.
JUMP_LIST_LIMIT = 300


def presenting_meeting(meetings: pd.DataFrame, today: dt.date) -> str | None:
    """The meeting presenting mode opens on: the next one held today or later (the one
    about to be run), else the latest held (meeting_list.sql, newest first)."""
    if meetings.empty:
        return None
    coming = meetings[meetings["held_on"] >= pd.Timestamp(today)]
    chosen = coming.iloc[::-1] if len(coming) else meetings
    return str(chosen["meeting_id"].iloc[0])


def meeting_choices(meetings: pd.DataFrame) -> dict[str, str]:
    """meeting_id -> 'CJB · 13 Jan 2027', newest first: short enough to show whole in the
    sidebar's picker."""
    return {
        m: f"{b} · {uk_date(d)}"
        for m, b, d in zip(
            meetings["meeting_id"], meetings["body"], meetings["held_on"], strict=True
        )
    }


def agenda_position(agenda: pd.DataFrame, *wanted: Any) -> int:
    """Where in the agenda to stand: at the first of the wanted recommendations (the URL's,
    then the one last presented) that is on it, else at the start."""
    listed = list(agenda["rec_id"])
    for rec_id in wanted:
        if rec_id in listed:
            return listed.index(rec_id)
    return 0


def position_text(position: int, total: int) -> str:
    """'4 of 13' for the screen at (0-based) position."""
    return f"{position + 1:,} of {total:,}"


def agenda_labels(agenda: pd.DataFrame) -> dict[str, str]:
    """rec_id -> '4. RAPE1-R6 · for decision' in agenda order: what the jump list offers
    (short, so that the chosen one shows whole in its box at 1366 pixels)."""
    return {
        rec: f"{i}. {rec} · {AGENDA_SHORT.get(int(section), '')}"
        for i, (rec, section) in enumerate(
            zip(agenda["rec_id"], agenda["section"], strict=True), start=1
        )
    }


@dataclass(frozen=True)
class Fact:
    """One labelled fact on a screen: the words, and the status or RAG whose colour marks
    it (the colour is never the only signal: the words say it)."""

    label: str
    value: str
    status: str | None = None
    rag: str | None = None


def screen_facts(item: pd.Series, agenda_row: pd.Series, history: pd.DataFrame) -> list[Fact]:
    """What a screen states about a recommendation as at the meeting: status (and what it
    was at the previous meeting), RAG, the due date and whether it is overdue, the original
    due date with the slip and the latest reason, the lead."""
    held_on = item["meeting_held_on"]
    status, rag = str(item["status"]), item["rag"] if isinstance(item["rag"], str) else None
    facts = [Fact("Status", status + _was(agenda_row, "status"), status=status)]
    if status in vocab.OPEN_STATUSES:
        facts.append(Fact("RAG", vocab.rag_label(rag) + _was(agenda_row, "rag"), rag=rag or ""))
    facts.append(Fact("Due", _due_text(item)))
    facts.append(Fact("Original due date", _slip_text(item, history, held_on)))
    facts.append(Fact("Lead", str(item["lead"]) if isinstance(item["lead"], str) else NOT_SET))
    return facts


def _was(agenda_row: pd.Series, what: str) -> str:
    before, now = agenda_row[f"{what}_before"], agenda_row[f"{what}_now"]
    if (before if isinstance(before, str) else None) == (now if isinstance(now, str) else None):
        return ""
    shown = before if isinstance(before, str) else "none"
    return f" (was {shown} at the previous meeting)"


def _due_text(item: pd.Series) -> str:
    if pd.isna(item["due"]):
        return "No due date set"
    due = uk_date(item["due"])
    if bool(item["overdue"]):
        days = int(item["days_overdue"])
        return f"{due}: {days:,} day{'s' if days != 1 else ''} overdue at this meeting"
    return f"{due}: not overdue at this meeting"


def _slip_text(item: pd.Series, history: pd.DataFrame, held_on: Any) -> str:
    """'30 Sep 2022; slipped 1,553 days over 3 revisions (latest, 14 Oct 2026: reason)',
    counting the revisions reported by the meeting (due_date_history.sql)."""
    if pd.isna(item["original_due"]):
        return NOT_SET
    original = uk_date(item["original_due"])
    revised = history[(history["step"] > 0) & (history["reported_on"] <= pd.Timestamp(held_on))]
    if revised.empty:
        return f"{original}; not revised"
    latest = revised.iloc[-1]
    days = int((pd.Timestamp(latest["due"]) - pd.Timestamp(item["original_due"])).days)
    count = len(revised)
    slip = f"slipped {days:,} days" if days >= 0 else f"brought forward {-days:,} days"
    reason = latest["reason"] if isinstance(latest["reason"], str) else "no reason given"
    revisions = "1 revision" if count == 1 else f"{count:,} revisions"
    return (
        f"{original}; {slip} over {revisions} (latest, {uk_date(latest['reported_on'])}: {reason})"
    )


def update_meta(item: pd.Series) -> str:
    """Which update the screen shows: 'Reported for the CJB meeting of 14 Oct 2026 by ...',
    and plainly when none was given for this meeting."""
    if pd.isna(item["last_update_on"]):
        return "No update has been reported for this recommendation yet."
    who = item["reported_by"] if isinstance(item["reported_by"], str) else "unknown"
    kind = "Board decision recorded" if item["last_update_kind"] == "decision" else "Reported"
    when = uk_date(item["last_update_on"])
    said = f"{kind} for the {item['last_update_body']} meeting of {when} by {who}."
    if item["last_update_meeting_id"] != item["meeting_id"]:
        said += " No update was given for this meeting."
    return said


def written(value: Any) -> str | None:
    """User-written text as given, or None when there is none."""
    return value if isinstance(value, str) and value.strip() else None
