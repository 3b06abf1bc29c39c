"""The Recommendations page: the list with its detail links, and one recommendation's
facts, timeline, updates and due-date history."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd

from cjb_tracker import vocab
from cjb_tracker.presenting.shared import NOT_SET, uk_date


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
