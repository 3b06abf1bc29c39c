"""One write path for every batch (issue 16): imports, undo, the Board's decisions and the
seed take the same lock and the same id source, so a decision recorded while an upload is
being written can never reuse one of its update ids; a write DuckDB still finds in conflict
is a sentence saying to try again. Real DuckDB files and real threads on one connection, as
the dashboard shares it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest

from cjb_tracker import decisions, ingest
from cjb_tracker.errors import TrackerError

# Each test runs on a DuckDB file and on PostgreSQL (conftest.py, issue 19).
pytestmark = pytest.mark.both_stores

MEETINGS = ("12/01/2022", "13/04/2022", "13/07/2022", "12/10/2022")
RECOMMENDATIONS = 1_200  # report RACE, RACE-R1 to RACE-R1200
PROPOSED = 120  # RACE-R1 to RACE-R120 have a closure proposed at the first meeting


def _csv(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> Path:
    con.execute(f"copy ({query}) to '{path}' (header, delimiter ',')")
    return path


@pytest.fixture
def race_db(fixture_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """The fixture database plus four meetings of 2022, 1,200 recommendations of report
    RACE, and a closure proposed for the first 120 of them at the first meeting."""
    maker = duckdb.connect()
    meetings = " union all ".join(
        f"select 'CJB' as body, '{d}' as date, 'Board {d}' as title" for d in MEETINGS[1:]
    )
    recommendations = f"""select 'RACE' as report_code, 'Race report' as report_title,
        r.i as number, 'Recommendation ' || r.i as title, 'Do ' || r.i as text,
        'Police forces (local)' as addressees, '' as timescale, '31/12/2031' as due_date,
        'Lead ' || (r.i % 10) as lead, 'CJB' as body
        from range(1, {RECOMMENDATIONS + 1}) as r(i)"""
    proposals = f"""select 'RACE-R' || r.i as recommendation_id, '{MEETINGS[0]}' as meeting_date,
        'Closure proposed' as status, 'Green' as rag, 'Done ' || r.i as "update",
        'Audit report ' || r.i as evidence, 'Lead ' || (r.i % 10) as reported_by
        from range(1, {PROPOSED + 1}) as r(i)"""
    for kind, query in (
        ("meetings", meetings),
        ("recommendations", recommendations),
        ("updates", proposals),
    ):
        path = _csv(maker, query, tmp_path / f"{kind}.csv")
        result = ingest.import_path(fixture_db, kind, path, imported_by="race set-up")
        assert result.status == "committed", result.errors[:3]
    maker.close()
    return fixture_db


def _big_updates(tmp_path: Path) -> bytes:
    """An update at each of the four meetings for every recommendation with no closure
    proposed: 4,320 rows, so its write takes a while."""
    maker = duckdb.connect()
    dates = ", ".join(f"'{d}'" for d in MEETINGS)
    query = f"""select 'RACE-R' || r.i as recommendation_id, m.d as meeting_date,
        'In progress' as status, 'Amber' as rag, 'Work at ' || m.d || ' on ' || r.i as "update",
        'Lead ' || (r.i % 10) as reported_by
        from range({PROPOSED + 1}, {RECOMMENDATIONS + 1}) as r(i), unnest([{dates}]) as m(d)"""
    data = _csv(maker, query, tmp_path / "big.csv").read_bytes()
    maker.close()
    return data


def test_a_decision_during_an_import_never_reuses_an_update_id(
    race_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    data = _big_updates(tmp_path)
    upload_time: dict[str, float] = {}
    uploaded: list[ingest.ImportResult | BaseException] = []
    decided: list[tuple[float, int | TrackerError]] = []

    def upload() -> None:
        upload_time["started"] = time.perf_counter()
        try:
            uploaded.append(
                ingest.import_file(race_db, "updates", "big.csv", data, imported_by="Lead")
            )
        except BaseException as error:  # noqa: BLE001 - reported below, whatever it is
            uploaded.append(error)
        upload_time["ended"] = time.perf_counter()

    def decide_while_uploading() -> None:
        # The chair records the Board's decisions one after another for as long as the
        # upload is being written (and at least once).
        for n in range(1, PROPOSED + 1):
            started = time.perf_counter()
            decision = decisions.Decision(f"RACE-R{n}", "CJB:2022-01-12", True, minute=f"M{n}")
            try:
                decided.append((started, decisions.decide(race_db, "Chair", decision)))
            except TrackerError as refused:
                decided.append((started, refused))
            if "ended" in upload_time:
                return

    threads = [threading.Thread(target=upload), threading.Thread(target=decide_while_uploading)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    result = uploaded[0]
    assert isinstance(result, ingest.ImportResult), repr(result)
    assert (result.status, result.inserted) == ("committed", 4_320), result.errors[:3]
    during = [
        outcome
        for started, outcome in decided
        if upload_time["started"] <= started <= upload_time["ended"]
    ]
    assert during, "no decision was asked for while the upload was being written"
    for _, outcome in decided:
        if isinstance(outcome, TrackerError):
            assert "try again" in str(outcome).lower(), outcome
    recorded = [b for _, b in decided if isinstance(b, int)]
    assert recorded, "no decision was recorded"
    total, distinct = race_db.execute(
        "select count(*), count(distinct update_id) from updates"
    ).fetchall()[0]
    assert total == distinct, f"{total - distinct} update id(s) used twice"
    assert race_db.execute(
        "select count(*) from updates where kind = 'decision' and batch_id in"
        " (select unnest($batches))",
        {"batches": recorded},
    ).fetchall() == [(len(recorded),)]


def test_a_decision_in_conflict_is_told_to_try_again(
    race_db: duckdb.DuckDBPyConnection,
) -> None:
    # Another connection is rebuilding the recommendation's position (its write still open)
    # when the decision rebuilds it too.
    other = race_db.cursor()
    other.execute("begin transaction")
    other.execute("delete from positions where rec_id = 'RACE-R1'")
    decision = decisions.Decision("RACE-R1", "CJB:2022-01-12", True, minute="M1")
    try:
        with pytest.raises(TrackerError) as refused:
            decisions.decide(race_db, "Chair", decision)
    finally:
        other.execute("rollback")
        other.close()
    assert "at the same moment" in str(refused.value) and "Try again" in str(refused.value)
    assert decisions.decide(race_db, "Chair", decision) > 0  # the retry is recorded
