"""Faults: the importer killed mid-import, and two uploads committed at the same moment.

BAD-INPUTS.md items 24 (killed mid-import: the batch is wholly there or wholly absent,
and the database opens) and 25 (two uploads at once: both land or one is told to retry;
nothing lost or duplicated).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from cjb_tracker import ingest, seed, store
from cjb_tracker.errors import TrackerError
from cjb_tracker.ingest import ImportResult

DATA = Path(__file__).parent / "data"
RECOMMENDATIONS = 5_000
MEETINGS = 20  # one update per recommendation per meeting: 100,000 rows
KILL_TRIALS = 20

_MEETING_DATE = "date '2030-01-15' + to_days(cast(m.i * 91 as integer))"
_FILES = {
    "meetings": f"""select 'CJB' as body, strftime({_MEETING_DATE}, '%d/%m/%Y') as date,
            'Board meeting ' || (m.i + 1) as title
        from range({MEETINGS}) as m(i)""",
    "recommendations": f"""select 'KILL' || (r.i // 500) as report_code,
            'Kill-test report ' || (r.i // 500) as report_title,
            r.i % 500 + 1 as number, 'Recommendation ' || r.i as title,
            'Review case handling ' || r.i as text, 'Police forces (local)' as addressees,
            '' as timescale, '31/12/2031' as due_date, 'Lead ' || (r.i % 50) as lead,
            'CJB' as body
        from range({RECOMMENDATIONS}) as r(i)""",
    "updates": f"""select 'KILL' || (r.i // 500) || '-R' || (r.i % 500 + 1)
                as recommendation_id,
            strftime({_MEETING_DATE}, '%d/%m/%Y') as meeting_date,
            'In progress' as status, ['Red', 'Amber', 'Green'][1 + (r.i + m.i) % 3] as rag,
            'Progress at meeting ' || (m.i + 1) || ': ' || repeat('work continues; ', 6)
                as "update",
            'Lead ' || (r.i % 50) as reported_by
        from range({MEETINGS}) as m(i), range({RECOMMENDATIONS}) as r(i)
        order by m.i, r.i""",
}


@pytest.fixture(scope="module")
def kill_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A closed database holding the seed, 20 meetings and 5,000 recommendations, and an
    updates file of 100,000 rows against them."""
    folder = tmp_path_factory.mktemp("kill")
    maker = duckdb.connect()
    for name, sql in _FILES.items():
        maker.execute(f"copy ({sql}) to '{folder / name}.csv' (header, delimiter ',')")
    maker.close()
    db = folder / "base.duckdb"
    con = store.connect(db)
    seed.init_database(con)
    for kind in ("meetings", "recommendations"):
        result = ingest.import_path(con, kind, folder / f"{kind}.csv", imported_by="setup")
        assert result.status == "committed", result.errors[:3]
    con.close()
    assert not Path(f"{db}.wal").exists()
    return db, folder / "updates.csv"


def _start_import(db: Path, updates: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cjb_tracker", "import", "updates", str(updates), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _batch_state(db: Path) -> str:
    """'present' or 'absent', after asserting the updates batch is one or the other whole."""
    con = duckdb.connect(str(db))  # the database opens (replaying the WAL if any)
    try:
        batches = con.execute(
            "select batch_id, status, row_count, inserted from import_batches"
            " where kind = 'updates'"
        ).fetchall()
        by_batch = dict(
            con.execute("select batch_id, count(*) from updates group by batch_id").fetchall()
        )
        # What the pages read is derived in the same transaction: there with the batch
        # (every recommendation at each of its 20 meetings), or not at all.
        derived = con.execute(
            "select (select count(*) from positions), (select count(*) from reported_to)"
        ).fetchall()[0]
        if not batches:
            assert by_batch == {}, f"updates rows with no batch recorded: {by_batch}"
            assert derived == (0, 0), f"derived rows with no batch: {derived}"
            return "absent"
        assert derived == (100_000, 5_000), derived
        assert len(batches) == 1, batches
        batch_id, status, rows, inserted = batches[0]
        assert (status, rows, inserted) == ("committed", 100_000, 100_000)
        assert by_batch == {batch_id: 100_000}
        assert con.execute(
            "select count(distinct update_id), count(distinct (rec_id, meeting_id)) from updates"
        ).fetchall() == [(100_000, 100_000)]
        return "present"
    finally:
        con.close()


def test_killed_mid_import_leaves_the_batch_whole_or_absent(
    kill_setup: tuple[Path, Path], tmp_path: Path
) -> None:
    base, updates = kill_setup
    # How long one whole import takes here, so the kills spread over all of it: start-up,
    # reading the file, checking, the write transaction, the commit and the checkpoint.
    db = tmp_path / "whole.duckdb"
    shutil.copy(base, db)
    started = time.monotonic()
    assert _start_import(db, updates).wait(timeout=60) == 0
    whole = time.monotonic() - started
    assert _batch_state(db) == "present"

    trials: list[tuple[float, str, int]] = []  # (delay, state, exit code)
    for trial in range(KILL_TRIALS):
        db = tmp_path / f"trial{trial}.duckdb"
        shutil.copy(base, db)
        delay = whole * (0.15 + 0.9 * trial / (KILL_TRIALS - 1))  # 15% .. 105% of a run
        process = _start_import(db, updates)
        time.sleep(delay)  # the moment of the kill is what the trial varies; not a wait
        process.send_signal(signal.SIGKILL)
        code = process.wait(timeout=10)
        state = _batch_state(db)  # asserts the batch is whole or absent, and the file opens
        # Each trial: either the kill ended the import, or the import had ended by itself,
        # successfully, with the whole batch committed. Never any other way out.
        assert code in (-signal.SIGKILL, 0), f"trial {trial}: the import exited with {code}"
        if code == 0:
            assert state == "present", f"trial {trial}: ran to the end but left no batch"
        trials.append((delay, state, code))
        # The database is usable after the kill: importing again gives the whole batch.
        if trial in (KILL_TRIALS // 2, KILL_TRIALS - 2):
            con = store.connect(db)
            result = ingest.import_path(con, "updates", updates, imported_by="retry")
            con.close()
            assert result.status == ("duplicate" if state == "present" else "committed")
            assert _batch_state_after_retry(db) == 100_000
    print(f"\n{KILL_TRIALS} kills, one run {whole:.2f} s: " + ", ".join(
        f"{delay:.2f} s {state}{' (ran to the end)' if code == 0 else ''}"
        for delay, state, code in trials))  # fmt: skip
    assert "absent" in [state for _, state, _ in trials], "no kill landed before the commit"


def _batch_state_after_retry(db: Path) -> int:
    con = duckdb.connect(str(db))
    try:
        return int(con.execute("select count(*) from updates").fetchall()[0][0])
    finally:
        con.close()


# --- Two uploads committed at the same moment (item 25) ---------------------------------


def _updates_file(meeting_date: str, recs: range, word: str) -> bytes:
    rows = [f"RAPE1-R{n},{meeting_date},In progress,Green,{word} {n}" for n in recs]
    return ("recommendation_id,meeting_date,status,rag,update\n" + "\n".join(rows) + "\n").encode()


def _commit_together(
    con: duckdb.DuckDBPyConnection, files: list[tuple[str, bytes]]
) -> list[ImportResult | TrackerError]:
    """Commit the files from threads released at the same moment, as the app's
    commit_upload does (ingest.import_file on the one shared connection)."""
    barrier = threading.Barrier(len(files))
    outcomes: list[ImportResult | TrackerError | BaseException | None] = [None] * len(files)

    def upload(index: int, name: str, data: bytes) -> None:
        barrier.wait()
        try:
            outcomes[index] = ingest.import_file(con, "updates", name, data, imported_by=name)
        except TrackerError as error:
            outcomes[index] = error
        except BaseException as error:  # noqa: BLE001 - the test reports any other kind
            outcomes[index] = error

    threads = [
        threading.Thread(target=upload, args=(i, name, data))
        for i, (name, data) in enumerate(files)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for outcome in outcomes:
        assert isinstance(outcome, ImportResult | TrackerError), repr(outcome)
    return outcomes  # type: ignore[return-value]


def _retry_sentence(error: TrackerError) -> None:
    assert "at the same moment" in str(error) and "try again" in str(error).lower()
    assert "duckdb" not in str(error).lower() and "conflict on" not in str(error).lower()


@pytest.mark.parametrize("round_", range(5))
def test_two_different_uploads_at_once_both_land_or_one_is_told_to_retry(
    fixture_db: duckdb.DuckDBPyConnection, round_: int
) -> None:
    # Two leads, two files for the same meeting; one row each for R5 in both (the later
    # supersedes), so the files touch the same recommendation too.
    files = [
        ("police.csv", _updates_file("12/01/2022", range(5, 10), f"police{round_}")),
        ("cps.csv", _updates_file("12/01/2022", range(9, 14), f"cps{round_}")),
    ]
    before = fixture_db.execute("select count(*), max(update_id) from updates").fetchall()[0]
    outcomes = _commit_together(fixture_db, files)
    landed = [o for o in outcomes if isinstance(o, ImportResult)]
    for outcome in outcomes:
        if isinstance(outcome, TrackerError):
            _retry_sentence(outcome)
        else:
            assert (outcome.status, outcome.inserted) == ("committed", 5), outcome.errors
    # Retry what was refused, as the user would; then nothing is lost or duplicated.
    for (name, data), outcome in zip(files, outcomes, strict=True):
        if isinstance(outcome, TrackerError):
            assert ingest.import_file(fixture_db, "updates", name, data).status == "committed"
    assert landed, "at least one of two uploads lands"
    count, distinct_ids, batches = fixture_db.execute(
        "select count(*), count(distinct update_id), count(distinct batch_id) from updates"
        " where update_id > ?",
        [before[1]],
    ).fetchall()[0]
    assert (count, distinct_ids, batches) == (10, 10, 2)
    assert fixture_db.execute(
        "select count(*) from import_batches where file_name in ('police.csv', 'cps.csv')"
        " and status = 'committed'"
    ).fetchall() == [(2,)]


def test_the_same_upload_twice_at_once_lands_once(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = _updates_file("12/01/2022", range(5, 14), "same")
    before = fixture_db.execute("select count(*) from updates").fetchall()[0][0]
    outcomes = _commit_together(fixture_db, [("a.csv", data), ("b.csv", data)])
    statuses = sorted(o.status if isinstance(o, ImportResult) else "retry" for o in outcomes)
    for outcome in outcomes:
        if isinstance(outcome, TrackerError):
            _retry_sentence(outcome)
    assert statuses in (["committed", "duplicate"], ["committed", "retry"]), statuses
    assert fixture_db.execute("select count(*) from updates").fetchall()[0][0] == before + 9


def test_an_import_while_another_write_is_open_still_commits(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    # Another cursor holds a write transaction open (say, the chair's edit in progress):
    # the import commits, and the checkpoint DuckDB then refuses is left for later.
    other = fixture_db.cursor()
    other.execute("begin transaction")
    other.execute("update bodies set name = name where body = 'CJB'")
    try:
        result = ingest.import_file(
            fixture_db, "updates", "u.csv", _updates_file("12/01/2022", range(5, 7), "open")
        )
        assert (result.status, result.inserted) == ("committed", 2)
    finally:
        other.execute("rollback")
        other.close()
    assert fixture_db.execute(
        "select count(*) from updates where batch_id = ?", [result.batch_id]
    ).fetchall() == [(2,)]


def test_an_undo_in_conflict_is_told_to_retry(fixture_db: duckdb.DuckDBPyConnection) -> None:
    batch = ingest.import_file(
        fixture_db, "updates", "u.csv", _updates_file("12/01/2022", range(5, 7), "undo")
    ).batch_id
    assert batch is not None
    other = fixture_db.cursor()  # another connection's write to the same batch row, open
    other.execute("begin transaction")
    other.execute("update import_batches set status = upper(status) where batch_id = ?", [batch])
    try:
        with pytest.raises(TrackerError) as refused:
            ingest.undo_batch(fixture_db, batch, "Chair")
    finally:
        other.execute("rollback")
        other.close()
    assert "at the same moment" in str(refused.value) and "Try again" in str(refused.value)
    ingest.undo_batch(fixture_db, batch, "Chair")  # the retry succeeds
    assert fixture_db.execute(
        "select status from import_batches where batch_id = ?", [batch]
    ).fetchall() == [("reverted",)]
