"""Reminders with the tracker in PostgreSQL (several replicas, cjb_tracker.replica): what one
replica sent, the addresses it set, the meeting it moved and the calendar's UIDs are what
another replica sees, so a run on the second sends nothing again. PostgreSQL 15 is run by
the test (deploy/pgserver.py) on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from mailkit import settings_for, smtp_server

from cjb_tracker import ics, ingest, lead_addresses, reminders, replica, seed
from deploy import pgserver

SOON = dt.date.today() + dt.timedelta(days=10)
MOVED = SOON + dt.timedelta(days=1)


@pytest.fixture
def postgres() -> Iterator[str]:
    # (As root, the server runs as the postgres user: its folder must be reachable by it,
    # and pytest's own temporary folders are not.)
    with tempfile.TemporaryDirectory(prefix="cjb-pg-") as temp:
        Path(temp).chmod(0o755)
        folder = Path(temp) / "pg"
        server = pgserver.start(folder)
        try:
            yield server.dsn
        finally:
            pgserver.stop(folder)


def test_a_second_replica_sees_what_the_first_sent_and_sends_nothing(postgres: str) -> None:
    first = replica.Replica.create(postgres)
    second = None
    try:
        seed.load_seed(first.local)
        seed.load_demo(first.local)
        meetings = f"body,date\nCJB,{SOON:%d/%m/%Y}\n".encode()
        assert ingest.import_file(first.local, "meetings", "m.csv", meetings).status == "committed"
        moved = f"body,date,replaces\nCJB,{MOVED:%d/%m/%Y},{SOON:%d/%m/%Y}\n".encode()
        assert ingest.import_file(first.local, "meetings", "v.csv", moved).status == "committed"
        lead_addresses.set_email(first.local, "chair", "Head of Victim and Witness Hub (Police)",
                                 "vwh@cjb-demo.example")  # fmt: skip
        calendar = ics.body_calendar(first.local, "CJB")
        second = replica.Replica.open(postgres)
        meeting_id = f"CJB:{MOVED:%Y-%m-%d}"
        with smtp_server() as server:
            sent = reminders.run(first.local, settings_for(server), "chair",
                                 meeting_id=meeting_id, kind="due")  # fmt: skip
            assert len(sent.sent) == 6 and len(server.received) == 6
            second.catch_up()
            again = reminders.run(second.local, settings_for(server), "chair",
                                  meeting_id=meeting_id, kind="due")  # fmt: skip
            assert [o.status for _, outcomes in again.runs for o in outcomes] == [
                "already sent"
            ] * 6
            assert len(server.received) == 6
        assert second.local.execute(
            "select meeting_id, replaces from meeting_moves"
        ).fetchall() == [(meeting_id, f"CJB:{SOON:%Y-%m-%d}")]
        uids = [
            {str(e["uid"]) for e in Calendar.from_ical(c).walk("VEVENT")}
            for c in (calendar, ics.body_calendar(second.local, "CJB"))
        ]
        assert uids[0] == uids[1]  # one installation id, kept in PostgreSQL
    finally:
        if second is not None:
            second.close()
        first.close()
