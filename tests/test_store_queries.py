"""The schema's views against the small fixture database: current_status and friends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest
from helpers import holding

from cjb_tracker import ingest, seed, store
from cjb_tracker.errors import DatabaseInUse

# Each test runs on a DuckDB file and on PostgreSQL (conftest.py, issue 19).
pytestmark = pytest.mark.both_stores


def status_rows(
    con: duckdb.DuckDBPyConnection, as_at: str | None = None
) -> dict[str, tuple[Any, ...]]:
    sql = "select rec_id, status, rag, due, overdue, days_overdue, revisions, last_meeting_id " + (
        "from status_as_at(cast($as_at as date))" if as_at else "from current_status"
    )
    rows = con.execute(sql, {"as_at": as_at} if as_at else None).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_seed_holds_only_the_source_letter(seeded_db: duckdb.DuckDBPyConnection) -> None:
    recs = seeded_db.execute(
        "select rec_id, timescale, original_due, lead, body from recommendations order by number"
    ).fetchall()
    assert [r[0] for r in recs] == [f"RAPE1-R{n}" for n in range(1, 14)]
    assert [r[0] for r in recs if r[1] == "Immediately"] == [
        "RAPE1-R1",
        "RAPE1-R4",
        "RAPE1-R9",
        "RAPE1-R10",
    ]
    assert {(r[2], r[3]) for r in recs} == {(None, None)}
    assert seeded_db.execute("select count(*) from meetings").fetchall() == [(0,)]
    assert seeded_db.execute("select count(*) from updates").fetchall() == [(0,)]
    assert seeded_db.execute("select body from bodies order by body").fetchall() == [
        ("CJB",),
        ("RASSO-OPERATIONAL",),
        ("RASSO-STRATEGIC",),
    ]


def test_seed_addressees_and_initial_responses(seeded_db: duckdb.DuckDBPyConnection) -> None:
    r4 = seeded_db.execute(
        "select addressee, scope from recommendation_addressees where rec_id = 'RAPE1-R4' "
        "order by position"
    ).fetchall()
    assert r4 == [
        ("Police forces", "local"),
        ("CPS Areas", "local"),
        ("NPCC lead for adult sexual offences", "national"),
        ("CPS", "national"),
    ]
    r8 = seeded_db.execute(
        "select addressee, scope from recommendation_addressees where rec_id = 'RAPE1-R8'"
    ).fetchall()
    assert r8 == [("National Criminal Justice Board", "national")]
    assert ("Support services", "local") in seeded_db.execute(
        "select addressee, scope from recommendation_addressees where rec_id = 'RAPE1-R2'"
    ).fetchall()
    response = seeded_db.execute(
        "select initial_response, text from recommendations where rec_id = 'RAPE1-R8'"
    ).fetchall()[0]
    assert response[0].startswith("This recommendation is addressed to the National Criminal")
    assert response[1].startswith("The National Criminal Justice Board should review")
    report = seeded_db.execute("select publisher from reports").fetchall()
    assert report == [("HMICFRS and HMCPSI",)]


def test_current_status_has_one_row_per_recommendation(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    rows = status_rows(fixture_db)
    assert len(rows) == 13
    assert rows["RAPE1-R5"][:2] == ("Not started", None)


def test_due_overdue_and_days_overdue(fixture_db: duckdb.DuckDBPyConnection) -> None:
    today = fixture_db.execute("select london_today()").fetchall()[0][0]
    rows = status_rows(fixture_db)
    # R1 is complete: not overdue though its date passed.
    assert rows["RAPE1-R1"] == (
        "Complete",
        None,
        dt.date(2021, 10, 31),
        False,
        0,
        0,
        "CJB:2021-10-13",
    )
    # R4 slipped once: its due is the revised date, overdue counted from it.
    assert rows["RAPE1-R4"][2:4] == (dt.date(2022, 3, 31), True)
    assert rows["RAPE1-R4"][4] == (today - dt.date(2022, 3, 31)).days
    assert rows["RAPE1-R4"][5] == 1
    # R3 never updated: Not started, overdue against its original date.
    assert rows["RAPE1-R3"][:4] == ("Not started", None, dt.date(2022, 6, 30), True)
    # No due date is not overdue.
    assert rows["RAPE1-R9"][2:5] == (None, False, 0)


def test_status_as_at_a_past_date(fixture_db: duckdb.DuckDBPyConnection) -> None:
    rows = status_rows(fixture_db, "2021-08-01")
    assert rows["RAPE1-R1"][:2] == ("In progress", "Green")
    assert rows["RAPE1-R4"][2:4] == (dt.date(2021, 12, 31), False)
    assert rows["RAPE1-R2"][3:5] == (False, 0)


def test_revised_due_from_the_latest_update_that_gave_one(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    from cjb_tracker import ingest

    data = (
        b"recommendation_id,meeting_date,status,revised_due_date,revision_reason\n"
        b"RAPE1-R4,12/01/2022,In progress,,\n"
    )
    assert ingest.import_file(fixture_db, "updates", "u.csv", data).status == "committed"
    assert status_rows(fixture_db)["RAPE1-R4"][2] == dt.date(2022, 3, 31)


def test_a_held_database_is_reported_as_in_use(tmp_path: Path) -> None:
    path = tmp_path / "held.duckdb"
    with holding(path) as holder:
        try:
            store.connect(path)
        except DatabaseInUse as error:
            assert f"process {holder.pid}" in str(error)
        else:
            raise AssertionError("a held database must be refused")


def test_demo_database_loads_and_tells_a_story(demo_db: duckdb.DuckDBPyConnection) -> None:
    con = demo_db
    statuses = dict(
        con.execute("select status, count(*) from current_status group by 1").fetchall()
    )
    assert statuses.get("Complete", 0) >= 3
    assert statuses.get("Awaiting national action", 0) >= 1
    assert statuses.get("Closure proposed", 0) >= 1
    assert con.execute("select count(*) from current_status where overdue").fetchall()[0][0] >= 2
    assert con.execute("select count(*) from meetings where body = 'CJB'").fetchall()[0][0] >= 8
    assert con.execute("select count(*) from reports").fetchall()[0][0] >= 2
    slipped = con.execute("select max(revisions) from current_status").fetchall()[0][0]
    assert slipped >= 2
    assert con.execute(
        "select bool_and(illustrative) from import_batches where kind <> 'seed' "
        "and status = 'committed' and imported_by like 'Demo%'"
    ).fetchall() == [(True,)]


# The position as at a date, by its definition: the latest update in force at a meeting held by
# then, the latest revised due date given by then, and how many were given. The positions table
# (rebuilt at each write) must always agree with it.
DEFINED_POSITIONS = """
with latest as (
    select rec_id,
        -- (a struct: arg_max skips a row whose value is null, and rag often is)
        arg_max({'status': status, 'rag': rag, 'meeting_id': meeting_id, 'held_on': held_on},
            (held_on, update_id)) as u,
        arg_max(revised_due, (held_on, update_id)) filter (where revised_due is not null) as due,
        count(revised_due) as revisions
    from effective_updates
    where held_on <= $as_at
    group by rec_id
)
select rec_id, u.status, u.rag, u.meeting_id, u.held_on, due, revisions
from latest
order by rec_id"""
STORED_POSITIONS = """
select rec_id, status, rag, meeting_id, held_on, revised_due, revisions
from positions
where held_on <= $as_at and $as_at < until
order by rec_id"""


DEFINED_RECOMMENDATIONS = """
select * exclude (newest)
from (
    select r.rec_id, r.report_code, r.number, r.title, r.text, r.timescale, r.original_due,
        r.lead, r.body, r.initial_response, r.record_id, b.illustrative,
        row_number() over (partition by r.rec_id order by r.record_id desc) as newest
    from recommendation_records as r
    join live_batches as b using (batch_id)
)
where newest = 1
order by rec_id"""


DEFINED_REPORTED_TO = """
select distinct rec_id, meeting_body
from effective_updates
order by all"""


def assert_positions_as_defined(con: duckdb.DuckDBPyConnection) -> int:
    """Compare the recommendations in force with their definition, and the positions at every
    meeting date, the day before each, and today; return the number of dates."""
    assert con.execute("select * from recommendations order by rec_id").fetchall() == (
        con.execute(DEFINED_RECOMMENDATIONS).fetchall()
    )
    assert con.execute("select * from reported_to order by all").fetchall() == (
        con.execute(DEFINED_REPORTED_TO).fetchall()
    )
    dates = [
        d
        for (d,) in con.execute(
            "select held_on from meetings union select held_on - 1 from meetings "
            "union select current_date order by 1"
        ).fetchall()
    ]
    for as_at in dates:
        defined = con.execute(DEFINED_POSITIONS, {"as_at": as_at}).fetchall()
        assert con.execute(STORED_POSITIONS, {"as_at": as_at}).fetchall() == defined, as_at
    return len(dates)


def test_derived_tables_agree_with_their_definition_after_every_kind_of_write(
    demo_db: duckdb.DuckDBPyConnection,
) -> None:
    con = demo_db  # seed.init_database(demo=True): imports that supersede, Board decisions
    assert assert_positions_as_defined(con) > 50
    decision = con.execute(
        "select max(batch_id) from import_batches where kind = 'decision'"
    ).fetchall()[0][0]
    ingest.undo_batch(con, decision, "test")  # the proposal stands again
    assert_positions_as_defined(con)
    latest = con.execute(
        "select max(batch_id) from import_batches where kind = 'updates' and status = 'committed'"
    ).fetchall()[0][0]
    ingest.undo_batch(con, latest, "test")  # what it superseded is in force again
    assert_positions_as_defined(con)
    leads = ingest.import_file(
        con, "recommendations", "leads.csv",
        b"report_code,number,lead,due_date\nRAPE1,4,New Lead,01/02/2027\n", imported_by="test",
    )  # fmt: skip
    assert leads.status == "committed", leads.errors
    assert_positions_as_defined(con)  # a new version of RAPE1-R4
    assert leads.batch_id is not None
    ingest.undo_batch(con, leads.batch_id, "test")
    assert_positions_as_defined(con)  # the version before it
    # Two bodies meeting on one date, a recommendation reported at both: one position that
    # day (the later report), and it is the recommendation's first.
    same_day = ingest.import_file(
        con, "meetings", "m.csv", b"body,date\nRASSO-OPERATIONAL,01/01/2021\nCJB,01/01/2021\n",
        imported_by="test",
    )  # fmt: skip
    assert same_day.status == "committed", same_day.errors
    both = ingest.import_file(
        con, "updates", "u.csv",
        b"recommendation_id,meeting_date,body,status,rag,revised_due_date,revision_reason\n"
        b"RAPE1-R5,01/01/2021,RASSO-OPERATIONAL,In progress,Red,01/06/2021,First reason\n"
        b"RAPE1-R5,01/01/2021,CJB,Not started,Amber,,\n",
        imported_by="test",
    )  # fmt: skip
    assert both.status == "committed", both.errors
    assert_positions_as_defined(con)
    assert con.execute(
        "select status, rag, revised_due, revisions, is_first from positions"
        " where rec_id = 'RAPE1-R5' and held_on = date '2021-01-01'"
    ).fetchall() == [("Not started", "Amber", dt.date(2021, 6, 1), 1, True)]
    again = ingest.import_path(
        con,
        "updates",
        seed.DEMO / "updates" / sorted(p.name for p in (seed.DEMO / "updates").iterdir())[-1],
        imported_by="test",
    )
    assert again.status == "committed", again.errors
    assert_positions_as_defined(con)
    assert (
        con.execute("select count(*) from positions where is_first").fetchall()
        == con.execute("select count(distinct rec_id) from effective_updates").fetchall()
    )
