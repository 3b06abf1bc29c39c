"""Several replicas sharing one PostgreSQL (issue 19, cjb_tracker.replica): every replica
sees every commit; writes from different replicas and processes are serialised by the
database; ids stay unique; a batch is whole or absent; a conflict is "try again" with
nothing written; upgrades, backups and restores work on PostgreSQL too.

PostgreSQL 15 runs on 127.0.0.1 for the test run (conftest.postgres_server)."""

from __future__ import annotations

import gzip
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from conftest import postgres_database
from helpers import in_postgres, run_cli

from cjb_tracker import decisions, ingest, migrate, replica, store
from cjb_tracker.errors import TrackerError
from cjb_tracker.replica import Replica
from deploy import pgserver

DATA = Path(__file__).parent / "data"
RELEASES = DATA / "releases"
# What the pages read, compared replica against replica.
SHOWN = (
    "current_status",
    "effective_updates",
    "update_history",
    "recommendations",
    "meetings",
    "users",
    "positions",
    "reported_to",
    "import_batches",
    "audit_events",
)


def shown(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    return {v: con.execute(f"select * from {v} order by all").fetchall() for v in SHOWN}


def updates_file(folder: Path, name: str, meeting: str, recs: list[str], words: str) -> Path:
    lines = ["recommendation_id,meeting_date,status,rag,update"]
    lines += [f"{r},{meeting},In progress,Amber,{words}" for r in recs]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_commit_and_an_undo_on_one_replica_are_what_the_others_show(
    two_replicas: tuple[Replica, Replica], postgres_tracker: str, tmp_path: Path
) -> None:
    first, second = two_replicas
    assert shown(first.local) == shown(second.local)
    assert second.catch_up() is False  # nothing new: nothing read

    january = updates_file(tmp_path, "jan.csv", "12/01/2022", ["RAPE1-R2", "RAPE1-R4"], "Jan")
    done = ingest.import_path(first.local, "updates", january, imported_by="first replica")
    assert done.status == "committed" and done.batch_id is not None
    assert second.catch_up() is True
    assert shown(second.local) == shown(first.local)

    ingest.undo_batch(second.local, done.batch_id, "second replica")
    assert first.catch_up() is True
    assert shown(first.local) == shown(second.local)
    # A replica started now, from PostgreSQL alone, shows the same.
    third = Replica.open(postgres_tracker)
    try:
        assert shown(third.local) == shown(first.local)
    finally:
        third.close()


def test_page_runs_on_many_threads_catch_up_on_the_one_shared_connection(
    two_replicas: tuple[Replica, Replica], tmp_path: Path
) -> None:
    # A dashboard's page runs share the process's one connection, each on its own thread,
    # and each begins with store.catch_up(connection); DuckDB refuses a second statement on
    # a connection another thread is using, so looking up the replica must not use it.
    first, second = two_replicas
    ingest.import_path(first.local, "updates",
                       updates_file(tmp_path, "a.csv", "12/01/2022", ["RAPE1-R1"], "seen"),
                       imported_by="writer")  # fmt: skip
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def page_run() -> None:
        try:
            start.wait()
            for _ in range(40):
                store.catch_up(second.local)
                cur = second.local.cursor()
                cur.execute("select count(*) from effective_updates").fetchall()
                cur.close()
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=page_run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert shown(second.local) == shown(first.local)


def test_ids_stay_unique_when_replicas_write_in_turn_without_looking(
    two_replicas: tuple[Replica, Replica], postgres_tracker: str, tmp_path: Path
) -> None:
    first, second = two_replicas
    for turn in range(3):
        for name, side in (("first", first), ("second", second)):
            path = updates_file(tmp_path, f"{name}{turn}.csv", "12/01/2022",
                                ["RAPE1-R2", "RAPE1-R4"], f"{name} {turn}")  # fmt: skip
            # No catch_up between: each write brings its own copy up to date under the lock.
            assert ingest.import_path(side.local, "updates", path, imported_by=name).status == (
                "committed"
            )
    assert in_postgres(
        postgres_tracker,
        "select count(*), count(distinct update_id) from updates",
    ) == in_postgres(postgres_tracker, "select count(*), count(*) from updates")
    assert (
        in_postgres(
            postgres_tracker, "select count(*), count(distinct batch_id) from import_batches"
        )[0][0]
        == in_postgres(postgres_tracker, "select count(distinct batch_id) from import_batches")[0][
            0
        ]
    )
    first.catch_up()
    second.catch_up()
    assert shown(first.local) == shown(second.local)


def test_a_write_that_cannot_get_the_lock_is_told_to_try_again_and_writes_nothing(
    two_replicas: tuple[Replica, Replica],
    postgres_tracker: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, _ = two_replicas
    monkeypatch.setattr(replica, "LOCK_WAIT", "1s")
    before = in_postgres(postgres_tracker, "select count(*) from updates")
    path = updates_file(tmp_path, "late.csv", "12/01/2022", ["RAPE1-R2"], "late")
    with psycopg.connect(postgres_tracker) as holder:  # another replica, mid-write
        holder.execute("select pg_advisory_xact_lock(%s)", [replica.WRITE_LOCK])
        with pytest.raises(TrackerError, match="Try again"):
            ingest.import_path(first.local, "updates", path, imported_by="first")
    assert in_postgres(postgres_tracker, "select count(*) from updates") == before
    assert first.local.execute("select count(*) from updates").fetchall() == before
    # The lock let go, the same file goes in.
    assert ingest.import_path(first.local, "updates", path, imported_by="first").status == (
        "committed"
    )


def test_a_decision_and_an_import_on_two_replicas_at_once_both_land_with_distinct_ids(
    two_replicas: tuple[Replica, Replica], postgres_tracker: str, tmp_path: Path
) -> None:
    first, second = two_replicas
    path = updates_file(tmp_path, "r4.csv", "12/01/2022", ["RAPE1-R4"], "closure")
    propose = path.read_text().replace("In progress,Amber", "Closure proposed,Green")
    path.write_text(propose.replace("closure", "closure proposed") + "", encoding="utf-8")
    (path.parent / "p.csv").write_text(
        "recommendation_id,meeting_date,status,rag,update,evidence\n"
        "RAPE1-R4,12/01/2022,Closure proposed,Green,Done,Audit report\n",
        encoding="utf-8",
    )
    assert (
        ingest.import_path(
            first.local, "updates", path.parent / "p.csv", imported_by="first"
        ).status
        == "committed"
    )
    second.catch_up()
    big = updates_file(tmp_path, "big.csv", "13/10/2021",
                       [f"RAPE1-R{n}" for n in (2, 3)], "October")  # fmt: skip
    errors: list[BaseException] = []

    def decide() -> None:
        try:
            decision = decisions.Decision("RAPE1-R4", "CJB:2022-01-12", True, minute="M/1")
            decisions.decide(second.local, "chair", decision)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    thread = threading.Thread(target=decide)
    thread.start()
    result = ingest.import_path(first.local, "updates", big, imported_by="first")
    thread.join(60)
    assert not errors, errors
    assert result.status == "committed"
    assert in_postgres(
        postgres_tracker, "select count(*) = count(distinct update_id) from updates"
    ) == [(True,)]
    first.catch_up()
    second.catch_up()
    assert shown(first.local) == shown(second.local)


def test_two_imports_from_two_processes_at_once_both_land_or_one_is_told_to_retry(
    postgres_tracker: str, tmp_path: Path
) -> None:
    files = [
        updates_file(tmp_path, f"p{i}.csv", "12/01/2022", ["RAPE1-R2", "RAPE1-R4"], f"process {i}")
        for i in range(2)
    ]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cjb_tracker",
                "import",
                "updates",
                str(f),
                "--db",
                postgres_tracker,
                "--json",
                "--by",
                f"process {i}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i, f in enumerate(files)
    ]
    outcomes = [p.communicate(timeout=120) for p in processes]
    codes = [p.returncode for p in processes]
    committed = sum('"committed"' in out for out, _ in outcomes)
    told = sum("Try again" in err for _, err in outcomes)
    assert committed + told == 2 and committed >= 1, (codes, outcomes)
    rows = in_postgres(
        postgres_tracker,
        "select b.batch_id, b.row_count, count(u.update_id) from import_batches b"
        " join updates u using (batch_id) where b.imported_by like 'process %'"
        " group by b.batch_id, b.row_count",
    )
    assert len(rows) == committed
    assert all(rows_in == written for _, rows_in, written in rows)  # whole batches
    assert in_postgres(
        postgres_tracker, "select count(*) = count(distinct update_id) from updates"
    ) == [(True,)]


def test_an_import_on_one_replica_during_an_undo_on_another(
    postgres_tracker: str, tmp_path: Path
) -> None:
    first = run_cli("import", "updates",
                    str(updates_file(tmp_path, "a.csv", "12/01/2022", ["RAPE1-R2"], "a")),
                    "--json", db=postgres_tracker)  # fmt: skip
    assert first.returncode == 0, first.stderr
    batch = int(first.stdout.split('"batch_id": ')[1].split(",")[0])
    undo = subprocess.Popen(
        [sys.executable, "-m", "cjb_tracker", "undo", str(batch), "--db", postgres_tracker],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    other = run_cli("import", "updates",
                    str(updates_file(tmp_path, "b.csv", "12/01/2022", ["RAPE1-R4"], "b")),
                    db=postgres_tracker)  # fmt: skip
    _, undo_err = undo.communicate(timeout=120)
    assert undo.returncode == 0 or "Try again" in undo_err, undo_err
    assert other.returncode == 0 or "Try again" in other.stderr, other.stderr
    after = Replica.open(postgres_tracker)
    try:
        statuses = dict(
            after.local.execute("select batch_id, status from import_batches").fetchall()
        )
        assert statuses[batch] == ("reverted" if undo.returncode == 0 else "committed")
        # The derived positions agree with the records, however the two interleaved.
        positions = after.local.execute("select * from positions order by all").fetchall()
        with store.transaction(after.local) as cur:
            store.refresh_derived(cur, None)
        assert after.local.execute("select * from positions order by all").fetchall() == positions
    finally:
        after.close()


def test_killed_mid_write_leaves_the_batch_whole_or_absent_in_postgres(
    postgres_tracker: str, tmp_path: Path
) -> None:
    # Every open recommendation (RAPE1-R1 is Complete: only the chair's decision reopens it).
    recs = [f"RAPE1-R{n}" for n in range(2, 14)]
    meetings = ["14/07/2021", "13/10/2021", "12/01/2022"]
    # At every meeting, with long narratives: a file that takes a while.
    lines = ["recommendation_id,meeting_date,status,rag,update"]
    lines += [f"{r},{m},In progress,Amber,{'x' * 2000}" for m in meetings for r in recs]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    whole = run_cli("import", "updates", str(big), "--by", "timing", db=postgres_tracker)
    took = time.monotonic() - started
    assert whole.returncode == 0, whole.stderr
    batch_rows = len(lines) - 1
    seen = {"whole": 0, "absent": 0}
    for trial in range(6):
        process = subprocess.Popen(
            [sys.executable, "-m", "cjb_tracker", "import", "updates", str(big), "--db",
             postgres_tracker, "--by", f"trial {trial}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(took * (0.3 + 0.7 * trial / 5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        rows = in_postgres(
            postgres_tracker,
            "select b.status, b.row_count, count(u.update_id) from import_batches b"
            f" left join updates u using (batch_id) where b.imported_by = 'trial {trial}'"
            " group by b.batch_id, b.status, b.row_count",
        )
        if not rows:
            seen["absent"] += 1
        else:
            assert rows == [("duplicate", 0, 0)] or rows == [
                ("committed", batch_rows, batch_rows)
            ], rows
            seen["whole"] += 1
    assert seen["absent"] >= 1, seen
    opened = Replica.open(postgres_tracker)  # and the tracker opens and reads
    opened.close()


def test_a_page_shows_another_replicas_commit_on_its_next_run(
    postgres_tracker: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers import sign_in
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CJB_TRACKER_DB", postgres_tracker)
    at = sign_in(AppTest.from_file(str(Path(__file__).parents[1] / "dashboard.py"),
                                   default_timeout=60))  # fmt: skip
    at.run()
    assert not at.exception
    before = [m.value for m in at.metric]
    other = Replica.open(postgres_tracker)
    try:
        closing = tmp_path / "close.csv"
        closing.write_text(
            "recommendation_id,meeting_date,status\nRAPE1-R3,12/01/2022,Complete\n",
            encoding="utf-8",
        )
        assert (
            ingest.import_path(other.local, "updates", closing, imported_by="chair").status
            == "committed"
        )
    finally:
        other.close()
    at.run()
    assert not at.exception
    after = [m.value for m in at.metric]
    assert after != before, (before, after)


# --- Upgrades, backups and restores on PostgreSQL ---------------------------------------


def _release_tables(fixture: Path, folder: Path) -> Path:
    """The release fixture's tables as a backup folder (EXPORT DATABASE)."""
    db = folder / "release.duckdb"
    with gzip.open(fixture, "rb") as packed, db.open("wb") as raw:
        shutil.copyfileobj(packed, raw)
    con = duckdb.connect(str(db))
    con.execute(f"export database '{folder / 'export'}' (format parquet)")
    con.close()
    return folder / "export"


def test_a_release_tracker_in_postgres_upgrades_and_shows_what_it_held(
    postgres_server: pgserver.Server, tmp_path: Path
) -> None:
    fixture = sorted(RELEASES.glob("*.duckdb.gz"))[0]
    exported = _release_tables(fixture, tmp_path)

    def as_released(con: duckdb.DuckDBPyConnection) -> None:
        """The release's own tables and rows, not upgraded (what that release kept)."""
        text = (exported / "schema.sql").read_text()
        for statement in migrate._split(text):
            if migrate._CREATE_TABLE_OR_SEQUENCE.match(statement.strip()):
                con.execute(statement)
        store.copy_backup_rows(con, exported)
        for name in sorted(replica.DERIVED):
            con.execute(f"drop table {name}")

    with postgres_database(postgres_server, f"release_{fixture.name[:6].replace('.', '')}",
                           as_released) as dsn:  # fmt: skip
        before = {
            t: in_postgres(dsn, f'select * from "{t}" order by 1')
            for t in ("updates", "user_records", "audit_events", "import_batches")
        }
        refused = run_cli("user", "list", db=dsn)
        assert refused.returncode == 1 and "cjb-tracker migrate" in refused.stderr
        backups = tmp_path / "backups"
        done = run_cli(
            "migrate", "--by", "PG upgrader", db=dsn, env={"CJB_TRACKER_BACKUPS": str(backups)}
        )
        assert done.returncode == 0, done.stderr
        assert f"is now at schema {store.SCHEMA_VERSION}" in done.stdout
        (backup,) = backups.glob("postgres-schema3-backup-*")
        assert str(backup) in done.stdout and (backup / "schema.sql").is_file()
        for table, rows in before.items():
            after = in_postgres(dsn, f'select * from "{table}" order by 1')
            if table == "audit_events":
                assert after[: len(rows)] == rows and after[-1][3] == "migrate"
            else:
                assert [r[: len(rows[0])] for r in after] == rows, table
        assert run_cli("user", "list", db=dsn).returncode == 0
        again = run_cli("migrate", db=dsn)
        assert "nothing to do" in again.stdout


def test_a_backup_of_a_postgres_tracker_restores_into_another(
    postgres_tracker: str, postgres_server: pgserver.Server, tmp_path: Path
) -> None:
    assert run_cli("backup", str(tmp_path / "backup"), db=postgres_tracker).returncode == 0
    target = postgres_server.database_dsn("restored_" + tmp_path.name[-8:].replace("-", "_"))
    pgserver.create_database(postgres_server, target.rsplit("/", 1)[1])
    done = run_cli("restore", str(tmp_path / "backup"), db=target)
    assert done.returncode == 0, done.stderr
    for table in ("updates", "recommendation_records", "user_records", "import_batches"):
        assert in_postgres(target, f'select * from "{table}" order by 1') == in_postgres(
            postgres_tracker, f'select * from "{table}" order by 1'
        ), table
