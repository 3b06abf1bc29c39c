"""A Board decision is not undone by a lead (issue 21): an uploaded update cannot open a
Complete or Superseded recommendation again; only the chair reopens one, with the reason,
and it is recorded as a decision."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from helpers import add_test_accounts, table_counts

from cjb_tracker import audit, auth, decisions, ingest, store
from cjb_tracker.errors import NotAllowed, TrackerError

ROOT = Path(__file__).parents[1]
HEADER = b"recommendation_id,meeting_date,status,rag,update,evidence\n"


@pytest.fixture
def db(fixture_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The fixture: RAPE1-R1 (DS Patel's, so the test lead's) Complete at 13 Oct 2021."""
    add_test_accounts(fixture_db)
    return fixture_db


def user(con: duckdb.DuckDBPyConnection, role: str) -> auth.User:
    found = auth.get_user(con, role)
    assert found is not None
    return found


def status_of(db: duckdb.DuckDBPyConnection, rec_id: str) -> str:
    return str(store.scalar(db, "select status from current_status where rec_id = ?", [rec_id]))


def test_a_leads_update_reopening_a_complete_recommendation_is_rejected_by_row_and_column(
    db: duckdb.DuckDBPyConnection,
) -> None:
    assert status_of(db, "RAPE1-R1") == "Complete"
    before = table_counts(db)
    data = HEADER + (
        b"RAPE1-R3,12/01/2022,In progress,Green,Mine and open.,\n"
        b"RAPE1-R1,12/01/2022,In progress,Amber,Not really done.,\n"
    )
    result = ingest.import_file(db, "updates", "reopen.csv", data, imported_by=user(db, "lead"))
    assert result.status == "rejected"
    assert [(p.row, p.column, p.code) for p in result.errors] == [(3, "status", "permission-error")]
    message = result.errors[0].message
    assert "RAPE1-R1 was closed (Complete) at the meeting on 13 Oct 2021" in message
    assert "Only the chair reopens a closed recommendation, with the reason" in message
    assert table_counts(db) == before
    assert status_of(db, "RAPE1-R1") == "Complete"


@pytest.mark.parametrize(
    "status", [b"Closure proposed", b"Not started", b"Awaiting national action"]
)
def test_no_open_status_reopens_it_and_neither_does_a_row_for_the_closing_meeting(
    db: duckdb.DuckDBPyConnection, status: bytes
) -> None:
    for meeting in (b"13/10/2021", b"12/01/2022"):
        data = HEADER + b"RAPE1-R1," + meeting + b"," + status + b",Amber,Again.,Evidence\n"
        result = ingest.import_file(db, "updates", "r.csv", data, imported_by=user(db, "lead"))
        assert [(p.row, p.column) for p in result.errors] == [(2, "status")], status


def test_an_update_for_a_meeting_before_the_closure_is_still_accepted(
    db: duckdb.DuckDBPyConnection,
) -> None:
    # A late report for July (before the October closure) leaves the current status alone.
    data = HEADER + b"RAPE1-R1,14/07/2021,In progress,Green,Corrected July report.,\n"
    result = ingest.import_file(db, "updates", "late.csv", data, imported_by=user(db, "lead"))
    assert result.status == "committed", result.errors
    assert status_of(db, "RAPE1-R1") == "Complete"


def test_the_chairs_upload_cannot_reopen_it_either(db: duckdb.DuckDBPyConnection) -> None:
    data = HEADER + b"RAPE1-R1,12/01/2022,In progress,Amber,Reopened by upload.,\n"
    result = ingest.import_file(db, "updates", "c.csv", data, imported_by=user(db, "chair"))
    assert [(p.row, p.column, p.code) for p in result.errors] == [(2, "status", "permission-error")]


def test_the_chair_reopens_it_with_a_reason_as_a_board_decision(
    db: duckdb.DuckDBPyConnection,
) -> None:
    reason = "The audit found recording lapsed in December."
    batch = decisions.reopen(db, user(db, "chair"), "rape1-r1", "CJB:2022-01-12", reason)
    assert status_of(db, "RAPE1-R1") == "In progress"
    history = store.run_query(db, "recommendation_updates", rec_id="RAPE1-R1")
    assert history["kind"].iloc[0] == "decision"
    assert history["narrative"].iloc[0] == (
        f"The Board reopened this recommendation (it was Complete): {reason}"
    )
    found = audit.events(db, action="closure-decision")
    assert (found["outcome"].iloc[0], found["target"].iloc[0]) == ("reopened", "RAPE1-R1")
    assert reason in found["detail"].iloc[0]
    # Reopened, the lead reports on it again as usual.
    data = HEADER + b"RAPE1-R1,12/01/2022,In progress,Amber,Back on it.,\n"
    result = ingest.import_file(db, "updates", "u.csv", data, imported_by=user(db, "lead"))
    assert result.status == "committed", result.errors
    ingest.undo_batch(db, batch, user(db, "chair"))  # a decision is undone like an upload
    assert status_of(db, "RAPE1-R1") == "In progress"  # the lead's later update stands


def test_a_lead_cannot_reopen_and_the_refusal_is_audited(db: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(NotAllowed, match="A lead cannot record the Board's decision"):
        decisions.reopen(db, user(db, "lead"), "RAPE1-R1", "CJB:2022-01-12", "I say so.")
    found = audit.events(db, action="closure-decision")
    assert (found["actor"].iloc[0], found["outcome"].iloc[0]) == ("lead", "refused")
    assert status_of(db, "RAPE1-R1") == "Complete"


def test_reopening_needs_a_reason_a_closed_recommendation_and_a_meeting_not_before_it(
    db: duckdb.DuckDBPyConnection,
) -> None:
    chair = user(db, "chair")
    with pytest.raises(TrackerError, match="Give the reason the Board reopened RAPE1-R1"):
        decisions.reopen(db, chair, "RAPE1-R1", "CJB:2022-01-12", "  ")
    with pytest.raises(TrackerError, match="RAPE1-R3 is not closed"):
        decisions.reopen(db, chair, "RAPE1-R3", "CJB:2022-01-12", "Why not.")
    with pytest.raises(TrackerError, match="at that meeting or a later one"):
        decisions.reopen(db, chair, "RAPE1-R1", "CJB:2021-07-14", "Too early.")
    assert status_of(db, "RAPE1-R1") == "Complete"


def test_the_command_line_reopens_with_a_reason(fixture_db_path: Path) -> None:
    command = [sys.executable, "-m", "cjb_tracker", "reopen", "RAPE1-R1", "--meeting",
               "CJB:2022-01-12", "--reason", "Lapsed.", "--db", str(fixture_db_path),
               "--by", "Board secretary"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "RAPE1-R1 is In progress again" in done.stdout
    con = store.open_tracker(fixture_db_path)
    try:
        assert status_of(con, "RAPE1-R1") == "In progress"
    finally:
        con.close()


def test_closed_recommendations_lists_what_the_board_may_reopen(
    db: duckdb.DuckDBPyConnection,
) -> None:
    closed = store.run_query(db, "closed_recommendations")
    assert list(zip(closed["rec_id"], closed["status"], closed["closed_at"], strict=True)) == [
        ("RAPE1-R1", "Complete", "CJB:2021-10-13")
    ]
    decisions.reopen(db, user(db, "chair"), "RAPE1-R1", "CJB:2022-01-12", "Lapsed.")
    assert store.run_query(db, "closed_recommendations").empty


def test_the_chair_reopens_on_the_decisions_page(dashboard_db: Path) -> None:
    from helpers import sign_in
    from streamlit.testing.v1 import AppTest

    at = sign_in(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60), "chair")
    at.switch_page("pages/6_decisions.py").run()
    at.selectbox(key="reopen_rec").select("RAPE1-R1").run()
    meetings = at.selectbox(key="reopen_meeting").options
    assert meetings[-1].startswith("CJB · 13 Oct 2021")  # the closing meeting, or later
    at.button(key="reopen_submit").click().run()
    assert any("Give the reason the Board reopened RAPE1-R1" in e.value for e in at.error)
    at.text_area(key="reopen_reason").input("Recording lapsed in December.")
    at.button(key="reopen_submit").click().run()
    assert any("RAPE1-R1 is In progress again" in s.value for s in at.success)
    con = store.connect(dashboard_db)
    try:
        assert status_of(con, "RAPE1-R1") == "In progress"
    finally:
        con.close()
