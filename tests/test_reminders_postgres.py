"""Reminders with the tracker in PostgreSQL (several replicas, cjb_tracker.replica): what one
replica sent, the addresses it set, the meeting it moved and the calendar's UIDs are what
another replica sees, so a run on the second sends nothing again. PostgreSQL 15 is run by
the test (deploy/pgserver.py) on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import run_cli
from icalendar import Calendar
from mailkit import env_for, settings_for, smtp_server

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


def test_two_replicas_sending_at_the_same_moment_send_each_digest_once(postgres: str) -> None:
    """Two servers' timers fire at the same second: each a process with its own copy. The
    mail server takes half a second a message, so both runs overlap: one sends the six
    digests, the other, waiting for PostgreSQL's lock, finds them sent and sends nothing."""
    first = replica.Replica.create(postgres)
    try:
        seed.load_seed(first.local)
        seed.load_demo(first.local)
        meetings = f"body,date\nCJB,{SOON:%d/%m/%Y}\n".encode()
        assert ingest.import_file(first.local, "meetings", "m.csv", meetings).status == "committed"
        lead_addresses.set_email(first.local, "chair", "Head of Victim and Witness Hub (Police)",
                                 "vwh@cjb-demo.example")  # fmt: skip
    finally:
        first.close()
    meeting_id = f"CJB:{SOON:%Y-%m-%d}"
    with smtp_server(delay=0.5) as server:
        args = ("remind", "--meeting", meeting_id, "--kind", "due", "--json")
        with ThreadPoolExecutor(2) as pool:
            runs = list(
                pool.map(lambda _: run_cli(*args, db=postgres, env=env_for(server)), [1, 2])
            )
        received = sorted(r.rcpt_tos[0] for r in server.received)
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    statuses = sorted(
        sorted(m["status"] for run in json.loads(r.stdout)["runs"] for m in run["messages"])
        for r in runs
    )
    assert statuses == [["already sent"] * 6, ["sent"] * 6], statuses
    assert len(received) == 6 and len(set(received)) == 6, received
    check = replica.Replica.open(postgres)
    try:
        assert check.local.execute(
            "select count(*), count(distinct recipient) from reminder_messages"
        ).fetchall() == [(6, 6)]
    finally:
        check.close()
