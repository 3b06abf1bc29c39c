"""Templates a lead downloads, fills in and uploads: CSV and XLSX bytes, pre-filled with the
open recommendations (optionally one lead's) and the date of the next meeting.

Every cell a spreadsheet could read as a formula is neutralised (BAD-INPUTS item 20).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd

from cjb_tracker import spreadsheets
from cjb_tracker.formats import FORMATS

# Templates of up to this many rows are built with the Upload page; a bigger one (the
# chair's template of every open recommendation, at national scale) when asked for.
EAGER_ROWS = 1_000


def updates_template(rows: pd.DataFrame) -> pd.DataFrame:
    """The updates file's columns, in order, pre-filled from upload_template_rows.sql:
    id, next meeting date (dd/mm/yyyy), body, current status and RAG, the evidence of a
    proposed closure, and the lead as reporter. The lead writes the update, next steps and
    any revised due date."""
    template = pd.DataFrame(columns=list(FORMATS["updates"].names), dtype="object")
    for column in ("recommendation_id", "body", "status", "rag", "reported_by"):
        template[column] = rows[column].astype("object")
    if "evidence" in rows:  # a proposed closure's evidence: the row goes back as it is
        template["evidence"] = rows["evidence"].astype("object")
    template["meeting_date"] = [_day_first(d) for d in rows["meeting_date"]]
    return template.astype("object").where(template.notna(), "").reset_index(drop=True)


def blank_template(kind: str) -> pd.DataFrame:
    """A header-only file of the given kind."""
    return pd.DataFrame(columns=list(FORMATS[kind].names))


# What each column of the outcome files takes: the XLSX template's 'Read me' sheet (the
# README has the same, with an example file in data/examples/).
COLUMN_NOTES: dict[str, dict[str, str]] = {
    "measures": {
        "measure": "The measure's name, e.g. Charge rate (also metric_name).",
        "area": "The area the figure is for, e.g. England and Wales (also geographic_area_name).",
        "period": "Apr - Jun 2022, 2022/23 Q1, 12 months to Jun 2022, Jun 2022, 2022/23, "
        "30/06/2022 (also time_period). Leave period and value empty on a row that only "
        "defines a measure or an area.",
        "value": "The figure alone: 7.4 for 7.4%. A publisher's mark for none (.., [c], [x]) "
        "skips the row.",
        "unit": "To define a measure: %, days, count or rate.",
        "better": "To define a measure: which way is better, higher or lower.",
        "description": "To define a measure: what it counts.",
        "source": "To define a measure: where the figures come from.",
        "breakdown": "Optional, e.g. an offence type: Adult rape (also offence_type).",
        "stage": "Optional, when defining a measure: the stage, e.g. Charge.",
        "granularity": "Optional: Month, Quarter, Year, Rolling year, Day (also "
        "date_granularity). With it, Jun 2022 is the period of that length ending in June.",
        "area_type": "To define an area: own (the Board's), national, similar (the most "
        "similar group) or other.",
    },
    "links": {
        "recommendation_id": "e.g. RAPE1-R4.",
        "measure": "A measure the tracker holds, e.g. Charge rate.",
        "breakdown": "Optional: the breakdown of its figures, e.g. Adult rape.",
        "expected": "rise or fall: the way the recommendation should move it (empty: the "
        "way the measure calls better).",
        "note": "Optional: why it is linked.",
    },
}


def column_notes(kind: str) -> pd.DataFrame | None:
    """The 'Read me' sheet of a template with no rows to list: each column, whether it is
    required, and what it takes (None for kinds without notes)."""
    notes = COLUMN_NOTES.get(kind)
    if notes is None:
        return None
    fmt = FORMATS[kind]
    return pd.DataFrame(
        {
            "column": list(fmt.names),
            "required": ["yes" if c.required else "" for c in fmt.columns],
            "what to write": [notes.get(name, "") for name in fmt.names],
        }
    )


def _day_first(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return str(pd.Timestamp(value).strftime("%d/%m/%Y"))


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accented names correctly."""
    return spreadsheets.csv_bytes(frame)


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str, notes: pd.DataFrame | None = None) -> bytes:
    """A workbook whose first sheet (named for the kind) is the template; the optional
    second sheet 'Read me' carries the titles for reference and is not imported."""
    import openpyxl  # slow to import; only a template download needs it

    book = openpyxl.Workbook()
    _fill(book.active, sheet.capitalize(), spreadsheets.inert(frame))
    if notes is not None:
        _fill(book.create_sheet("Read me"), None, spreadsheets.inert(notes))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet: Any, title: str | None, frame: pd.DataFrame) -> None:
    if title:
        sheet.title = title
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    for cells in sheet.columns:
        width = max((len(str(c.value or "")) for c in cells), default=8)
        sheet.column_dimensions[cells[0].column_letter].width = min(max(width + 2, 10), 60)


def _cell(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.date) or not isinstance(value, float):
        return value
    return None if pd.isna(value) else value


def template_file_name(kind: str, lead: str | None, meeting_date: Any, suffix: str) -> str:
    """'updates-DS-Patel-2022-01-12.csv': what it is, whose, for which meeting."""
    parts = [kind]
    if lead:
        parts.append("-".join("".join(ch for ch in lead if ch.isalnum() or ch == " ").split()))
    if meeting_date is not None and not pd.isna(meeting_date):
        parts.append(pd.Timestamp(meeting_date).strftime("%Y-%m-%d"))
    return "-".join(p for p in parts if p) + f".{suffix}"


def template_files(kind: str, rows: pd.DataFrame | None, lead: str | None) -> dict[str, bytes]:
    """{file name: bytes} for the CSV and XLSX template of a kind; an updates template is
    pre-filled from upload_template_rows.sql, the others are headers only. An updates
    template with no row that could be sent back is no file at all: {} (see
    nothing_to_update, which says why)."""
    if kind == "updates" and rows is not None and not len(sendable(rows)):
        return {}
    meeting = first_meeting(rows)
    return {
        name: template_file(kind, rows, suffix)
        for suffix, name in template_names(kind, meeting, lead).items()
    }


def sendable(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of upload_template_rows.sql that can be uploaded as they are: those with a
    meeting ahead. (A row without one would be rejected at its meeting date.)"""
    return rows[rows["meeting_date"].notna()]


def nothing_to_update(rows: pd.DataFrame, lead: str | None) -> str:
    """Why an updates template would hold no row: nothing open, or no meeting ahead."""
    if not len(rows):
        who = f"{lead} leads" if lead else "There are"
        return f"{who} no open recommendations, so there is no template to fill in." + (
            " If that is wrong, ask the chair or secretariat." if lead else ""
        )
    bodies = " or ".join(sorted(set(rows["body"])))
    return (
        f"{len(rows)} open recommendation(s), but no meeting of {bodies} is planned, so an "
        "update has no meeting to go to. Ask the secretariat to add the next meeting, then "
        "download the template."
    )


def template_notice(rows: pd.DataFrame, lead: str | None) -> str | None:
    """What to say beside an updates template: why there is none (nothing_to_update), or
    which recommendations it leaves out; None when every open one is in it."""
    if not len(sendable(rows)):
        return nothing_to_update(rows, lead)
    left_out = rows[rows["meeting_date"].isna()]
    if not len(left_out):
        return None
    listed = ", ".join(
        f"{r} ({b})" for r, b in zip(left_out["recommendation_id"], left_out["body"], strict=True)
    )
    return (
        f"Left out of the template, with no meeting of their body planned: {listed}. The "
        "'Read me' sheet of the Excel file says so too."
    )


def left_out_note(row: Any) -> str:
    """The 'Read me' sheet's word on one row: in the template, or left out and why."""
    if row.meeting_date is None or pd.isna(row.meeting_date):
        return (
            f"Left out: no meeting of {row.body} is planned, so this update has no meeting to "
            "go to. Ask the secretariat to add one, then download the template again."
        )
    return f"In the template, for the {row.body} meeting on {_uk(row.meeting_date)}."


def _uk(value: Any) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp.strftime('%b %Y')}"


def read_me(rows: pd.DataFrame) -> pd.DataFrame:
    """The 'Read me' sheet: every open recommendation asked for, its title and lead, and
    whether it is in the template (a row with no meeting ahead is left out, and why)."""
    notes = rows[["recommendation_id", "title", "reported_by"]].rename(
        columns={"reported_by": "lead"}
    )
    notes["note"] = [left_out_note(row) for row in rows.itertuples(index=False)]
    return notes.reset_index(drop=True)


def first_meeting(rows: pd.DataFrame | None) -> Any:
    """The earliest meeting date in upload_template_rows.sql (None when there is none)."""
    if rows is None or not len(rows):
        return None
    return rows["meeting_date"].dropna().min()


def template_names(kind: str, meeting_date: Any, lead: str | None) -> dict[str, str]:
    """{'csv': file name, 'xlsx': file name}, without building either file; an updates
    template is named for the first meeting it is for."""
    meeting = meeting_date if kind == "updates" else None
    return {s: template_file_name(kind, lead, meeting, s) for s in ("csv", "xlsx")}


def template_file(kind: str, rows: pd.DataFrame | None, suffix: str) -> bytes:
    """One template file (built when asked for: at national scale a lead-less updates
    template holds tens of thousands of rows)."""
    if kind == "updates" and rows is not None:
        frame = updates_template(sendable(rows))
        notes = read_me(rows)
    else:
        frame, notes = blank_template(kind), column_notes(kind)
    return to_csv_bytes(frame) if suffix == "csv" else to_xlsx_bytes(frame, kind, notes)
