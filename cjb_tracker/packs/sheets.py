"""The pack's tracker as spreadsheets: an XLSX workbook (the tracker and every update) and
the tracker sheet as CSV. Text is neutralised in every cell (see spreadsheets.neutralise)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cjb_tracker import spreadsheets
from cjb_tracker.packs.gather import Pack

TRACKER_COLUMNS: dict[str, str] = {
    "rec_id": "Recommendation ID",
    "report_code": "Report",
    "title": "Title",
    "addressees": "Addressees",
    "lead": "Lead",
    "body": "Body",
    "status": "Status",
    "rag": "RAG",
    "timescale": "Timescale",
    "original_due": "Original due",
    "due": "Current due",
    "revisions": "Revisions",
    "overdue": "Overdue",
    "days_overdue": "Days overdue",
    "last_update_on": "Last update meeting date",
    "last_meeting_id": "Last update meeting",
    "latest_update": "Latest update",
    "next_steps": "Next steps",
    "evidence": "Evidence",
    "revised_due": "Revised due",
    "revision_reason": "Revision reason",
    "reported_by": "Reported by",
}
UPDATE_COLUMNS: dict[str, str] = {
    "rec_id": "Recommendation ID",
    "held_on": "Meeting date",
    "meeting_id": "Meeting",
    "body": "Body",
    "status": "Status",
    "rag": "RAG",
    "narrative": "Update",
    "next_steps": "Next steps",
    "revised_due": "Revised due",
    "revision_reason": "Revision reason",
    "evidence": "Evidence",
    "reported_by": "Reported by",
}


OUTCOME_COLUMNS: dict[str, str] = {
    "name": "Measure",
    "breakdown": "Breakdown",
    "area": "Area",
    "role": "Kind of area",
    "period_label": "Period",
    "period_start": "Period start",
    "period_end": "Period end",
    "value": "Value",
    "unit": "Unit",
    "better": "Better when",
    "illustrative": "Illustrative (not a published figure)",
}
OUTCOME_LINK_COLUMNS: dict[str, str] = {
    "rec_id": "Recommendation ID",
    "name": "Measure",
    "breakdown": "Breakdown",
    "expected": "Meant to",
    "sentence": "What moved since its milestone",
}

_DATE_COLUMNS = {
    "original_due", "due", "last_update_on", "revised_due", "held_on", "period_start",
    "period_end",
}  # fmt: skip


def tracker_rows(frame: pd.DataFrame, columns: dict[str, str]) -> list[list[Any]]:
    """Header plus one list of cell values per row: dates as dates, blanks as None, text
    neutralised."""
    rows: list[list[Any]] = [list(columns.values())]
    for record in frame[list(columns)].itertuples(index=False):
        rows.append([_sheet_value(name, v) for name, v in zip(columns, record, strict=True)])
    return rows


def _sheet_value(column: str, value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column in _DATE_COLUMNS:
        return pd.Timestamp(value).date()
    if isinstance(value, bool) or hasattr(value, "item"):
        value = value.item() if hasattr(value, "item") else value
        return "yes" if value is True else "no" if value is False else value
    return spreadsheets.neutralise(value)


def render_xlsx(pack: Pack) -> bytes:
    """The tracker (one row per recommendation) and every update, as an Excel workbook."""
    book = Workbook()
    tracker = book.active
    assert tracker is not None
    tracker.title = "Tracker"
    _fill_sheet(tracker, tracker_rows(pack.recommendations, TRACKER_COLUMNS))
    _fill_sheet(book.create_sheet("Updates"), tracker_rows(pack.updates, UPDATE_COLUMNS))
    if pack.outcome_series:
        figures = pd.concat(pack.outcome_series, ignore_index=True)
        _fill_sheet(book.create_sheet("Outcomes"), tracker_rows(figures, OUTCOME_COLUMNS))
        _fill_sheet(
            book.create_sheet("Outcome links"),
            tracker_rows(pack.outcome_links, OUTCOME_LINK_COLUMNS),
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_sheet(sheet: Any, rows: list[list[Any]]) -> None:
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.iter_cols(min_row=2):
        for cell in column_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, str) and len(cell.value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, header in enumerate(rows[0], start=1):
        wide = max([len(str(r[index - 1] or "")) for r in rows[:50]] + [len(header)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(wide, 10), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def render_csv(pack: Pack) -> bytes:
    """The tracker sheet as CSV (UTF-8 with BOM, so Excel reads it as UTF-8); dates ISO."""
    rows = tracker_rows(pack.recommendations, TRACKER_COLUMNS)
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    text: str = frame.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")
