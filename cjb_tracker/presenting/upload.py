"""The Upload page: a file's problems and preview, the uploads that can be undone, and the
sentences a commit or an undo ends with."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from cjb_tracker.problems import Problem


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
    "measures": [
        "row_number",
        "measure_label",
        "area_label",
        "breakdown",
        "period_label",
        "period_start",
        "period_end",
        "value",
        "unit",
        "better",
        "area_role",
        "will_write",
    ],
    "links": [
        "row_number",
        "rec_id",
        "measure_label",
        "breakdown",
        "expected",
        "note",
        "will_write",
    ],
}

# How each kind of file is named on the Upload page.
KIND_LABELS: dict[str, str] = {
    "updates": "Updates",
    "recommendations": "Recommendations",
    "meetings": "Meetings",
    "measures": "Outcome measures",
    "links": "Links to measures",
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


def preview_heading(kind: str, preview: pd.DataFrame) -> str:
    """'Preview of what would be written (2 status change(s))'; for measures and links, how
    many rows would be written."""
    if kind in ("measures", "links") and "will_write" in preview.columns:
        writing = int(preview["will_write"].fillna(False).astype(bool).sum())
        return f"Preview of what would be written ({writing} of {len(preview)} row(s) shown)"
    return f"Preview of what would be written ({status_changes_count(preview)} status change(s))"


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
