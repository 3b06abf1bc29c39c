"""Each body's meetings as an iCalendar file (RFC 5545), made with the `icalendar` package.

A meeting keeps one UID for life: the UID of the meeting it was first planned as. A meeting
moves when a meetings file row names the date it replaces (queries/meeting_calendar.sql
follows the chain), and each move raises the event's SEQUENCE, so a calendar that holds the
event moves it rather than showing it twice. Meetings have a date and no time: events are
all-day.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from typing import Any
from urllib.parse import quote

import duckdb
import icalendar
import pandas as pd

from cjb_tracker import store
from cjb_tracker.errors import TrackerError

PRODID = "-//cjb-tracker//Meetings//EN"
MEDIA_TYPE = "text/calendar"


def body_calendar(con: duckdb.DuckDBPyConnection, body: str, base_url: str | None = None) -> bytes:
    """Every meeting of a body, as one .ics file."""
    return _calendar(con, body, None, base_url)


def meeting_event(
    con: duckdb.DuckDBPyConnection, meeting_id: str, base_url: str | None = None
) -> bytes:
    """One meeting as an .ics file (what a reminder digest attaches)."""
    return _calendar(con, body_of(meeting_id), meeting_id, base_url)


def body_of(meeting_id: str) -> str:
    """'CJB:2027-01-13' -> 'CJB'."""
    return meeting_id.split(":", 1)[0]


def file_name(body: str, meeting_id: str | None = None) -> str:
    """'meetings-CJB.ics', or 'meeting-CJB-2027-01-13.ics' for one meeting."""
    if meeting_id:
        return "meeting-" + re.sub(r"[^A-Za-z0-9-]+", "-", meeting_id) + ".ics"
    return "meetings-" + re.sub(r"[^A-Za-z0-9-]+", "-", body) + ".ics"


def _calendar(
    con: duckdb.DuckDBPyConnection, body: str, meeting_id: str | None, base_url: str | None
) -> bytes:
    meetings = store.run_query(con, "meeting_calendar", body=body, meeting_id=meeting_id)
    if meeting_id is not None and meetings.empty:
        raise TrackerError(f"There is no meeting {meeting_id}.")
    installation = installation_id(con)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = meetings["body_name"].iloc[0] if len(meetings) else body
    calendar.add("x-wr-calname", f"{name}: meetings")
    for meeting in meetings.itertuples(index=False):
        calendar.add_component(_event(meeting, installation, base_url))
    return bytes(calendar.to_ical())


def _event(meeting: Any, installation: uuid.UUID, base_url: str | None) -> icalendar.Event:
    held_on = pd.Timestamp(meeting.held_on).date()
    event = icalendar.Event()
    event.add("uid", event_uid(installation, str(meeting.first_planned)))
    event.add("dtstamp", _utc(meeting.recorded_at))
    event.add("dtstart", held_on)
    event.add("dtend", held_on + dt.timedelta(days=1))
    event.add("summary", str(meeting.title))
    event.add("sequence", int(meeting.sequence))
    about = [str(meeting.body_name) + "."]
    if int(meeting.sequence):
        first = pd.Timestamp(str(meeting.first_planned).split(":", 1)[1]).date()
        about.append(f"Moved (first planned for {first.day} {first:%b %Y}).")
    if base_url:
        link = f"{base_url}/meetings?meeting={quote(str(meeting.meeting_id), safe='')}"
        event.add("url", link)
        about.append(f"In the tracker: {link}")
    event.add("description", " ".join(about))
    return event


def event_uid(installation: uuid.UUID, first_planned: str) -> str:
    """A meeting's UID: the same for every move of it, and unique to this tracker's
    database (two Boards' trackers both meeting on one date give different UIDs)."""
    return f"{uuid.uuid5(installation, first_planned)}@cjb-tracker"


def _utc(value: Any) -> dt.datetime:
    if value is None or pd.isna(value):
        return dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    moment: dt.datetime = stamp.to_pydatetime().replace(microsecond=0)
    return moment


def installation_id(con: duckdb.DuckDBPyConnection) -> uuid.UUID:
    """This database's own id, made on first use and kept (server_secrets): it makes the
    meetings' UIDs unique to this tracker. (Made here, not with the schema, so that a
    database from before calendars gets one too; two sessions making it at the same
    moment read the first one's.)"""
    for _ in range(3):
        try:
            with store.transaction(con) as cur:
                found = cur.execute(store.load_query("calendar_installation")).fetchall()
                if found:
                    return uuid.UUID(found[0][0])
                made = uuid.UUID(bytes=secrets.token_bytes(16), version=4)
                cur.execute(store.load_query("insert_calendar_installation"), {"value": str(made)})
            return made
        except (duckdb.TransactionException, duckdb.ConstraintException):
            continue
    raise TrackerError("The calendar could not be made just now. Try again.")
