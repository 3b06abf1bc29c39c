"""What one meeting's pack shows, gathered from the read queries as at the meeting's date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from cjb_tracker import measures, presenting, store
from cjb_tracker.errors import TrackerError

LAST_MEETINGS = 8  # how many meetings the summary's "status across meetings" chart shows
_MEETING_ID = re.compile(r"^[A-Z][A-Z0-9-]*:\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Pack:
    """What one meeting's pack shows, as the read queries return it."""

    meeting: pd.Series  # a meeting_list row, plus body_name
    as_at: dt.date
    illustrative: bool
    headlines: pd.DataFrame
    by_addressee: pd.DataFrame
    by_meeting: pd.DataFrame
    changes: pd.DataFrame
    owed: pd.DataFrame
    overdue: pd.DataFrame
    recommendations: pd.DataFrame
    updates: pd.DataFrame
    # Outcome measures (issue 18): the series linked to the pack's recommendations
    # (outcome_measures.sql), each one's figures (measure_series.sql) in that order, and
    # each link's sentence (measures.comparisons: rec_id, name, breakdown, expected, ...).
    outcomes: pd.DataFrame = field(default_factory=pd.DataFrame)
    outcome_series: list[pd.DataFrame] = field(default_factory=list)
    outcome_links: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def meeting_id(self) -> str:
        return str(self.meeting["meeting_id"])

    @property
    def title(self) -> str:
        return f"{self.meeting['body']} board pack, {presenting.uk_date(self.meeting['held_on'])}"


def meeting_id_of(text: str) -> str:
    """'cjb:2026-10-14' -> 'CJB:2026-10-14'; anything else is a sentence, not a traceback."""
    cleaned = text.strip()
    body, _, date = cleaned.partition(":")
    candidate = f"{body.upper()}:{date}"
    if not _MEETING_ID.match(candidate):
        raise TrackerError(
            f"'{text}' does not name a meeting; write the body and the date, e.g. CJB:2026-10-14."
        )
    return candidate


def gather(con: duckdb.DuckDBPyConnection, meeting_id: str, as_at: dt.date | None = None) -> Pack:
    """Run every query the pack needs for one meeting, as at its date unless told."""
    meeting = _meeting(con, meeting_id)
    when = as_at or pd.Timestamp(meeting["held_on"]).date()
    everyone = {"report": None, "body": None, "addressee": None, "lead": None}
    by_body = {**everyone, "body": meeting["body"], "as_at": when}
    recommendations = store.run_query(
        con, "pack_recommendations", meeting_id=meeting_id, as_at=when
    )
    # (limit None: a pack lists every row, where a page shows presenting.PAGE_ROWS at a time)
    every = {"limit": None, "offset": 0}
    overdue = store.run_query(con, "overdue_recommendations", **everyone, as_at=when, **every)
    outcomes, series, links = _outcomes(con, list(recommendations["rec_id"]), when)
    return Pack(
        meeting=meeting,
        as_at=when,
        illustrative=bool(store.run_query(con, "illustrative_batches")["batches"].iloc[0]),
        headlines=store.run_query(con, "headline_counts", **by_body),
        by_addressee=store.run_query(con, "status_by_addressee", **by_body),
        by_meeting=last_meetings(store.run_query(con, "status_by_meeting", **by_body)),
        changes=store.run_query(
            con, "meeting_changes", meeting_id=meeting_id, **everyone, limit=None, offsets=None
        ),
        owed=store.run_query(con, "updates_owed", meeting_id=meeting_id, **everyone, **every),
        overdue=overdue[overdue["rec_id"].isin(recommendations["rec_id"])].reset_index(drop=True),
        recommendations=recommendations,
        updates=store.run_query(con, "pack_updates", meeting_id=meeting_id, as_at=when),
        outcomes=outcomes,
        outcome_series=series,
        outcome_links=links,
    )


def _outcomes(
    con: duckdb.DuckDBPyConnection, rec_ids: list[str], as_at: dt.date
) -> tuple[pd.DataFrame, list[pd.DataFrame], pd.DataFrame]:
    """The outcome series linked to these recommendations, their figures, and what moved
    in each since each recommendation's milestone."""
    everyone = presenting.Filters().selection()
    outcomes = store.run_query(con, "outcome_measures", **everyone, as_at=as_at, rec_ids=rec_ids)
    series = [
        store.run_query(con, "measure_series", measure_id=m, breakdown=b, as_at=as_at)
        for m, b in zip(outcomes["measure_id"], outcomes["breakdown"], strict=True)
    ]
    linked = [measures.comparisons(con, rec_id, as_at) for rec_id in rec_ids]
    found = [frame for frame in linked if len(frame)]
    links = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    return outcomes, series, links


def _meeting(con: duckdb.DuckDBPyConnection, meeting_id: str) -> pd.Series:
    meetings = store.run_query(con, "meeting_list")
    found = meetings[meetings["meeting_id"] == meeting_id]
    if found.empty:
        raise TrackerError(
            f"There is no meeting {meeting_id}. Meetings are named by body and date, "
            "e.g. CJB:2026-10-14; add it with a meetings file first."
        )
    row = found.iloc[0].copy()
    name = store.scalar(con, "select name from bodies where body = ?", [row["body"]])
    row["body_name"] = name or row["body"]
    return row


def last_meetings(by_meeting: pd.DataFrame, count: int = LAST_MEETINGS) -> pd.DataFrame:
    """Only the rows of the latest `count` meetings in status_by_meeting's result."""
    keep = by_meeting["meeting_id"].drop_duplicates().tail(count)
    return by_meeting[by_meeting["meeting_id"].isin(keep)].reset_index(drop=True)


def reports_covered(recommendations: pd.DataFrame) -> list[str]:
    """'RAPE1 — title' for each report the pack's recommendations come from."""
    reports = recommendations[["report_code", "report_title"]].drop_duplicates("report_code")
    return [
        f"{code} — {title}" if isinstance(title, str) else str(code)
        for code, title in zip(reports["report_code"], reports["report_title"], strict=True)
    ]
