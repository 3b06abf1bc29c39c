"""The Overview's progress grid: each recommendation's status at each meeting of the chosen
body (progress_grid.sql), as the table under the grid, and the sentence naming the
recommendations that stalled (stalled_recommendations.sql)."""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd

from cjb_tracker import vocab
from cjb_tracker.presenting.shared import uk_date

# A recommendation has stalled when its status has not changed over this many meetings
# (stalled_recommendations.sql counts four), said in words.
STALLED_MEETINGS = 4
_IN_WORDS = "four"
# How many stalled recommendations the sentence names; it counts the rest.
STALLED_NAMED = 10

# The short label each status has in a grid cell (the legend spells them out).
STATUS_SHORT: dict[str, str] = {
    "Not started": "NS",
    "In progress": "IP",
    "Awaiting national action": "AN",
    "Closure proposed": "CP",
    "Complete": "C",
    "Superseded": "SS",
}


def state(status: Any, rag: Any) -> str:
    """'In progress (Amber)'; a status without a RAG reads as the status alone."""
    if not isinstance(status, str):
        return ""
    return f"{status} ({rag})" if isinstance(rag, str) and rag else status


class Cell(NamedTuple):
    """One recommendation at one meeting (a progress_grid.sql row)."""

    status: str | None
    rag: str | None
    reported: bool
    narrative: str | None
    published_on: Any


def grid_cells(grid: pd.DataFrame) -> dict[tuple[str, str], Cell]:
    """The grid's cells by (rec_id, meeting_id). (From plain lists: iterating rows of pandas'
    Arrow-backed strings takes ten times as long, on the first run of every page of it.)"""
    columns = [grid[c].tolist() for c in ("rec_id", "meeting_id", *Cell._fields)]
    return {
        (rec, meeting): Cell(
            status if isinstance(status, str) else None,
            rag if isinstance(rag, str) else None,
            bool(reported) if reported is not None and not pd.isna(reported) else False,
            narrative if isinstance(narrative, str) else None,
            published,
        )
        for rec, meeting, status, rag, reported, narrative, published in zip(*columns, strict=True)
    }


def empty_cell(cell: Cell | None, held_on: Any) -> tuple[str, str]:
    """What an empty cell of the grid (no update at that meeting) means, and how it reads:
    ('gap', ...) where an update could have been given and was not; ('none', ...) before
    the report was published or once the recommendation was closed, when none was due.
    `cell` is its progress_grid.sql row (None: no row at all)."""
    if cell is None or cell.status is None:
        published = cell.published_on if cell is not None else None
        if not pd.isna(published) and published > pd.Timestamp(held_on):
            return "none", "not yet published"
        return "gap", "no update; not reported on yet"
    if cell.status in vocab.CLOSED_STATUSES:
        return "none", f"no update; {cell.status} already"
    return "gap", f"no update; {state(cell.status, cell.rag)} as last reported"


def grid_meetings(grid: pd.DataFrame) -> pd.DataFrame:
    """The meetings the grid has a column for, oldest first: meeting_id, held_on,
    meeting_title (none when no meeting was held by the date)."""
    held = grid.dropna(subset=["meeting_id"])
    return (
        held[["meeting_id", "held_on", "meeting_title"]]
        .drop_duplicates("meeting_id")
        .sort_values("held_on")
        .reset_index(drop=True)
    )


def grid_recommendations(grid: pd.DataFrame) -> pd.DataFrame:
    """The recommendations the grid has a row for, in its order (by report, then number):
    rec_id, title, report_code, report_title, and total_rows."""
    columns = ["rec_id", "title", "report_code", "report_title", "number", "total_rows"]
    return grid[columns].drop_duplicates("rec_id").reset_index(drop=True)


def progress_table(grid: pd.DataFrame) -> pd.DataFrame:
    """The grid as a table, with the same content: one row per recommendation (with its
    report), one column per meeting headed by its date, each cell the status and RAG
    reported at that meeting ('In progress (Amber)'); where there was no update, None ('—')
    or, where none was due (not yet published, already closed), ''. Keeps total_rows for
    the pager."""
    rows = grid_recommendations(grid)
    table = rows[["report_code", "rec_id", "title"]].rename(columns={"report_code": "report"})
    cells = grid_cells(grid)
    for meeting in grid_meetings(grid).itertuples(index=False):
        table[uk_date(meeting.held_on)] = [
            _table_cell(cells.get((rec, meeting.meeting_id)), meeting.held_on)
            for rec in rows["rec_id"]
        ]
    table["total_rows"] = rows["total_rows"]
    return table


def _table_cell(cell: Cell | None, held_on: Any) -> str | None:
    if cell is not None and cell.reported:
        return state(cell.status, cell.rag)
    return None if empty_cell(cell, held_on)[0] == "gap" else ""


def stalled_summary(stalled: pd.DataFrame, body: str | None) -> str:
    """One sentence naming the open recommendations whose status has not changed over the
    last four meetings of the body, each with its status and since when
    (stalled_recommendations.sql): 'RAPE1-R3 (In progress since 13 Oct 2021)'."""
    who = body or "CJB"
    if stalled.empty:
        return f"No meeting of {who} was held by this date, so nothing can be said to have stalled."
    first = stalled.iloc[0]
    meetings, open_total = int(first["meetings"]), int(first["open_total"])
    if meetings < STALLED_MEETINGS:
        held = "one meeting" if meetings == 1 else f"{meetings} meetings"
        return (
            f"Only {held} of {who} had been held by this date: a recommendation counts as "
            f"stalled when its status has not changed over {_IN_WORDS} meetings."
        )
    span = f"the last {_IN_WORDS} meetings of {who} ({uk_date(first['first_on'])} to "
    span += f"{uk_date(first['latest_on'])})"
    total = int(first["stalled_total"])
    if open_total == 0:
        return f"No recommendation was open at the latest of {span}."
    if total == 0 and open_total == 1:
        return f"The one open recommendation changed status over {span}."
    if total == 0:
        return f"Every one of the {open_total:,} open recommendations changed status over {span}."
    named = [_stalled_name(row) for _, row in stalled.dropna(subset=["rec_id"]).iterrows()]
    more = total - len(named)
    listed = ", ".join(named) + (f" and {more:,} more" if more else "")
    verb = "has" if total == 1 else "have"
    return (
        f"{total:,} of the {open_total:,} open recommendations {verb} not changed status "
        f"over {span}: {listed}."
    )


def _stalled_name(row: pd.Series) -> str:
    if pd.isna(row["since"]):
        return f"{row['rec_id']} ({row['status']}, never reported on)"
    return f"{row['rec_id']} ({row['status']} since {uk_date(row['since'])})"
