"""The Overview: the headline counts and the status tables under its charts."""

from __future__ import annotations

import pandas as pd

from cjb_tracker import vocab
from cjb_tracker.presenting.shared import meeting_label

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
