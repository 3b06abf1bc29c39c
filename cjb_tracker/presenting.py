"""What the dashboard pages show, worked out without Streamlit: the shared filters, date
wording, and the reshaping of query results into the tables and choices a page renders.

Pages call these so that they hold no pandas of their own; every function here is a pure
function of its arguments and is tested directly.

Named for what it does, presenting query results, and not `views`: a view here is a SQL
view (current_status, effective_updates and the others in queries/schema.sql), and this
module defines none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from cjb_tracker import vocab
from cjb_tracker.problems import Problem

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


# --- Overview -------------------------------------------------------------------------

HEADLINES: tuple[tuple[str, str, str], ...] = (
    ("open", "Open", "Not started, in progress, awaiting national action or closure proposed."),
    ("complete", "Complete", "Closure accepted by the Board."),
    ("overdue", "Overdue", "Open and past the current due date."),
    (
        "awaiting_national_action",
        "Awaiting national action",
        "Local work waits on a national addressee.",
    ),
    ("closure_proposed", "Closure proposed", "Waiting for the Board's decision."),
    ("no_due_date", "No due date", "Open with no due date set: a data-quality gap."),
)


def headline_metrics(counts: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(label, value as shown: '37,513', help) for each headline count, from
    headline_counts.sql."""
    row = counts.iloc[0] if len(counts) else pd.Series(dtype="int64")
    return [
        (label, f"{int(row.get(column, 0) or 0):,}", help_text)
        for column, label, help_text in HEADLINES
    ]


def _status_columns(frame: pd.DataFrame, index: list[str]) -> pd.DataFrame:
    wide = frame.pivot_table(
        index=index,
        columns="status",
        values="recommendations",
        aggfunc="sum",
        fill_value=0,
        observed=True,
        sort=False,
    )
    present = [s for s in vocab.STATUSES if s in wide.columns]
    wide = wide.reindex(columns=present).astype("int64")
    wide["Total"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide.reset_index()


def status_by_addressee_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per addressee (local first), one column per status, and a total."""
    if frame.empty:
        return pd.DataFrame(columns=["scope", "addressee", "Total"])
    return _status_columns(frame, ["scope", "addressee"])


def meeting_label(held_on: Any, title: Any) -> str:
    return f"{uk_date(held_on)} — {title}" if isinstance(title, str) and title else uk_date(held_on)


def status_by_meeting_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per meeting (oldest first), one column per status, and a total."""
    if frame.empty:
        return pd.DataFrame(columns=["meeting", "Total"])
    labelled = frame.assign(
        meeting=[meeting_label(d, t) for d, t in zip(frame["held_on"], frame["title"], strict=True)]
    )
    return _status_columns(labelled, ["meeting"])


def rag_table(frame: pd.DataFrame) -> pd.DataFrame:
    """RAG of open items with its meaning spelt out: 'Red (off track)'."""
    return pd.DataFrame(
        {
            "RAG": [vocab.rag_label(r) for r in frame["rag"]],
            "recommendations": frame["recommendations"].astype("int64"),
        }
    )


# --- Recommendations ------------------------------------------------------------------


def detail_link(rec_id: str) -> str:
    """The relative URL of a recommendation's detail view: shareable, reopens the same view."""
    return f"recommendations?rec={quote(rec_id)}"


def with_detail_links(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with a 'link' column first, pointing at each recommendation's detail."""
    linked = frame.copy()
    linked.insert(0, "link", [detail_link(r) for r in frame["rec_id"]])
    return linked


def recommendation_table(listed: pd.DataFrame) -> pd.DataFrame:
    """The recommendations table: links first, without the sort columns."""
    return with_detail_links(listed).drop(columns=["report_code", "number"])


def timeline_table(updates: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind the timeline: status and RAG at each meeting, oldest first."""
    ordered = updates.sort_values("held_on")
    return pd.DataFrame(
        {
            "meeting": [uk_date(d) for d in ordered["held_on"]],
            "body": ordered["body"],
            "status": ordered["status"],
            "RAG": ordered["rag"],
        }
    )


def recommendation_labels(frame: pd.DataFrame) -> dict[str, str]:
    """rec_id -> 'RAPE1-R4 — short title', in the table's order."""
    return {r: f"{r} — {t}" for r, t in zip(frame["rec_id"], frame["title"], strict=True)}


def proposals_table(proposed: pd.DataFrame) -> pd.DataFrame:
    """The closures waiting for a decision as the chair reads them: proposed_at (the exact
    time, which only picks the meetings that may decide) left out."""
    return proposed.loc[:, [c for c in proposed.columns if c != "proposed_at"]]


def proposal_of(proposed: pd.DataFrame, rec_id: str) -> pd.Series:
    """The row of proposed_closures.sql for one recommendation."""
    return proposed.loc[proposed["rec_id"] == rec_id].iloc[0]


def verdict_label(accepted: bool) -> str:
    """How the decision form offers the Board's two possible decisions."""
    if accepted:
        return "Accepted: the recommendation is complete"
    return "Not accepted: back to In progress"


def decision_message(rec_id: str, batch_id: int, accepted: bool) -> str:
    """What the chair is told once the Board's decision is recorded."""
    outcome = "accepted; it is Complete." if accepted else "not accepted; it is In progress."
    return f"Recorded as batch {batch_id}: the closure of {rec_id} was {outcome}"


# The rows a table draws at a time. A national view holds 50,000 recommendations: sending
# them all to the browser on every rerun is what makes a page slow, so a long table is read
# a page at a time (Previous / Next), and the filters and the search narrow it. The list
# queries take the page as $limit and $offset and say how many rows there are in all
# (total_rows, or kind_total for the meeting's changes).
PAGE_ROWS = 100
# Columns a list query adds to say how many rows there are in all: not shown.
_COUNT_COLUMNS = ["total_rows", "kind_total"]


def total_rows(frame: pd.DataFrame) -> int:
    """How many rows a list query found in all (it returns one page of them)."""
    for column in _COUNT_COLUMNS:
        if column in frame.columns and len(frame):
            return int(frame[column].iloc[0])
    return len(frame)


def without_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows to draw, without the count columns."""
    return frame.drop(columns=[c for c in _COUNT_COLUMNS if c in frame.columns])


SIDEBAR_FILTERS = "the filters in the sidebar"


def page_caption(
    offset: int,
    shown: int,
    total: int,
    searchable: bool = False,
    narrowed_by: str | None = SIDEBAR_FILTERS,
) -> str | None:
    """'Rows 101 to 200 of 50,013.' under a table that holds more than one page (None for
    a table shown whole), and how to narrow it: by the filters that narrow it (the
    sidebar's, unless told; None for a list no filter narrows), and by the search only
    where the page has one."""
    if offset == 0 and shown >= total:
        return None
    rows = f"Rows {offset + 1:,} to {offset + shown:,} of {total:,}."
    ways = [way for way in (narrowed_by, "the search" if searchable else None) if way]
    if not ways:
        return f"{rows} Use Previous and Next."
    return f"{rows} Use Previous and Next, or narrow them with {' or '.join(ways)}."


def recommendation_choices(listed: pd.DataFrame, chosen: pd.DataFrame | None) -> dict[str, str]:
    """The labels a recommendation picker offers: those listed (the table's page), plus the
    one chosen from a shared link (its recommendation_detail row) when it is not among
    them."""
    labels = recommendation_labels(listed)
    if chosen is not None and len(chosen) and chosen["rec_id"].iloc[0] not in labels:
        labels |= recommendation_labels(chosen)
    return labels


def detail_facts(detail: pd.Series) -> list[tuple[str, str]]:
    """(label, value) pairs for the detail header: status with RAG, due dates, lead."""
    overdue = f"{int(detail['days_overdue'])} days overdue" if detail["overdue"] else "not overdue"
    return [
        ("Status", str(detail["status"])),
        ("RAG", vocab.rag_label(detail["rag"]) if detail["status"] in vocab.OPEN_STATUSES else "—"),
        ("Due", f"{uk_date(detail['due'])} ({overdue})"),
        ("Original due", uk_date(detail["original_due"])),
        ("Timescale", str(detail["timescale"] or NOT_SET)),
        ("Lead", str(detail["lead"] or NOT_SET)),
        ("Body", str(detail["body"])),
        ("Report", f"{detail['report_code']} — {detail['report_title'] or ''}".rstrip(" —")),
    ]


# The updates a recommendation's page shows as cards before 'Show every update'.
UPDATE_CARDS = 10


def update_heading(update: pd.Series) -> str:
    """'13 Oct 2021 · CJB · Awaiting national action (Red) · reported by CPS RASSO Lead'."""
    status = str(update["status"])
    if isinstance(update["rag"], str):
        status += f" ({update['rag']})"
    who = update["reported_by"] if isinstance(update["reported_by"], str) else "unknown"
    return f"{uk_date(update['held_on'])} · {update['body']} · {status} · reported by {who}"


def update_sections(update: pd.Series) -> list[tuple[str, str]]:
    """The written parts of an update that were given, in reading order."""
    parts = [("Update", "narrative"), ("Next steps", "next_steps"), ("Evidence", "evidence")]
    found = [(label, str(update[col])) for label, col in parts if isinstance(update[col], str)]
    if not pd.isna(update["revised_due"]):
        reason = update["revision_reason"] if isinstance(update["revision_reason"], str) else ""
        found.append(("Revised due date", f"{uk_date(update['revised_due'])}: {reason}"))
    return found


def due_history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The due-date history as it reads: which date, when it was set and why."""
    return pd.DataFrame(
        {
            "due date": [uk_date(d) for d in history["due"]],
            "set at": ["original" if pd.isna(d) else uk_date(d) for d in history["reported_on"]],
            "meeting": history["meeting_id"],
            "reason": history["reason"],
            "days slipped": history["days_slipped"],
        }
    )


def total_days_slipped(history: pd.DataFrame) -> int:
    """Days between the original due date and the current one (0 when it never moved)."""
    if history.empty or pd.isna(history["days_slipped_in_all"].iloc[-1]):
        return 0
    return int(history["days_slipped_in_all"].iloc[-1])


# --- Meetings -------------------------------------------------------------------------


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


# --- Overdue --------------------------------------------------------------------------

# The groupings the Overdue page offers, as overdue_groups.sql names them in $by.
GROUPINGS: dict[str, str] = {"Lead": "lead", "Body": "body", "Addressee": "addressee"}


def overdue_groups_table(groups: pd.DataFrame, by: str) -> pd.DataFrame:
    """overdue_groups.sql with its group column named for the grouping: lead, body or
    addressee."""
    return groups.rename(columns={"group": by.lower()})


# --- Upload ---------------------------------------------------------------------------


def problems_table(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as the page lists them: row, column, code, message."""
    return pd.DataFrame(
        [(p.row, p.column or "", p.code, p.message) for p in problems],
        columns=["row", "column", "problem", "message"],
    ).astype({"row": "Int64"})


PREVIEW_COLUMNS: dict[str, list[str]] = {
    "updates": [
        "row_number",
        "rec_id",
        "meeting_id",
        "status",
        "rag",
        "narrative",
        "next_steps",
        "revised_due",
        "revision_reason",
        "evidence",
        "reported_by",
    ],
    "recommendations": [
        "row_number",
        "rec_id",
        "title",
        "addressees",
        "timescale",
        "due_date",
        "lead",
        "body",
    ],
    "meetings": ["row_number", "meeting_id", "body", "held_on", "title", "already_held"],
}


def upload_preview(kind: str, preview: pd.DataFrame | None, current: pd.DataFrame) -> pd.DataFrame:
    """What would be written, one row per file row; for updates, each row says whether it
    changes the recommendation's status from what it is today."""
    if preview is None or preview.empty:
        return pd.DataFrame()
    shown = preview[[c for c in PREVIEW_COLUMNS[kind] if c in preview.columns]]
    if kind != "updates":
        return shown.reset_index(drop=True)
    today = current.rename(columns={"status": "status_now", "rag": "rag_now"})
    merged = shown.merge(today[["rec_id", "status_now"]], on="rec_id", how="left")
    merged.insert(
        3,
        "changes status",
        [
            _status_change(now, new)
            for now, new in zip(merged["status_now"], merged["status"], strict=True)
        ],
    )
    return merged.drop(columns="status_now")


def _status_change(now: Any, new: Any) -> str:
    if not isinstance(new, str):
        return ""
    if not isinstance(now, str):
        return f"new: {new}"
    return f"yes: {now} → {new}" if now != new else "no"


def status_changes_count(preview: pd.DataFrame) -> int:
    """How many preview rows change a status."""
    if "changes status" not in preview.columns:
        return 0
    return int(preview["changes status"].str.startswith("yes").sum())


def undo_choices(batches: pd.DataFrame) -> dict[int, str]:
    """batch_id -> 'Batch 7 · updates · file.csv · by Name' for each batch that can be
    undone (undoable_batches.sql)."""
    return {
        int(b): f"Batch {b} · {k} · {f} · by {w}"
        for b, k, f, w in zip(
            batches["batch_id"],
            batches["kind"],
            batches["file_name"],
            batches["imported_by"],
            strict=True,
        )
    }


def commit_message(status: str, batch_id: int | None, rows: int, inserted: int) -> str:
    """The sentence shown after a commit attempt."""
    return {
        "committed": f"Committed as batch {batch_id}: {inserted} of {rows} rows written.",
        "duplicate": "This file was already imported; nothing was added.",
        "rejected": "The file was rejected; nothing was written.",
    }.get(status, status)


def undo_message(batch_id: int) -> str:
    """The sentence shown once a batch is undone."""
    return f"Batch {batch_id} is undone; every page now shows the data without it."
