"""Upgrades keep every record (issue 15).

Every release fixture committed under tests/data/releases/ (a Board's file after using that
release, built by its own code through the command line) is upgraded with
`cjb-tracker migrate` and must show exactly what it showed before: every table's rows,
every view, the users with their roles and passwords, and the audit trail, plus one audit
event for the upgrade. Faults in the middle of an upgrade leave the file byte for byte.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from helpers import run_cli

import cjb_tracker
from cjb_tracker import auth, ingest, migrate, seed, store
from cjb_tracker.errors import TrackerError

RELEASES = Path(__file__).parent / "data" / "releases"
FIXTURES = sorted(RELEASES.glob("*.duckdb.gz"))
EXAMPLES = Path(__file__).parents[1] / "data" / "examples"
# What each view shows, compared before and after (as_at is today: the same within a test).
VIEWS = (
    "current_status",
    "effective_updates",
    "update_history",
    "recommendations",
    "recommendation_addressees",
    "meetings",
    "reports",
    "users",
    "live_batches",
)


def unpack(fixture: Path, target: Path) -> Path:
    with gzip.open(fixture, "rb") as packed, target.open("wb") as raw:
        shutil.copyfileobj(packed, raw)
    return target


def manifest(fixture: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        fixture.with_name(fixture.name.removesuffix(".duckdb.gz") + ".json").read_text("utf-8")
    )
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def contents(db: Path, columns_of: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Every table's and view's rows, sorted, over the columns given (default: all)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("set TimeZone = 'Europe/London'")
        names = [
            n
            for (n,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'main'"
            ).fetchall()
        ] + list(VIEWS)
        found: dict[str, Any] = {"(columns)": {}}
        for name in names:
            columns = (columns_of or {}).get(name) or [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns where table_name = ?"
                    " order by ordinal_position",
                    [name],
                ).fetchall()
            ]
            found["(columns)"][name] = columns
            listed = ", ".join(f'"{c}"' for c in columns)
            found[name] = con.execute(f'select {listed} from "{name}" order by all').fetchall()
        return found
    finally:
        con.close()


def rows_of(db: Path, table: str, shown: dict[str, Any]) -> list[tuple[Any, ...]]:
    """One table's rows, sorted, over the columns it had in `shown` (see contents)."""
    listed = ", ".join(f'"{c}"' for c in shown["(columns)"][table])
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f'select {listed} from "{table}" order by all').fetchall()
    finally:
        con.close()


def catalog(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The schema as DuckDB holds it: tables with their columns and constraints, views,
    macros, sequences and indexes."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        queries = {
            "tables": "select table_name, sql from duckdb_tables() where schema_name = 'main'",
            "columns": "select table_name, column_name, data_type, is_nullable, column_default"
            " from information_schema.columns where table_schema = 'main'",
            "constraints": "select table_name, constraint_type, constraint_text"
            " from duckdb_constraints() where schema_name = 'main'",
            "views": "select view_name, sql from duckdb_views()"
            " where not internal and schema_name = 'main'",
            "macros": "select function_name, function_type, macro_definition"
            " from duckdb_functions() where function_type in ('macro', 'table_macro')"
            " and not internal and schema_name = 'main'",
            "sequences": "select sequence_name from duckdb_sequences()",
            "indexes": "select table_name, index_name, sql from duckdb_indexes()",
        }
        return {k: sorted(con.execute(q).fetchall(), key=repr) for k, q in queries.items()}
    finally:
        con.close()


@pytest.fixture(params=FIXTURES, ids=[f.name for f in FIXTURES])
def release_db(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A copy of a release's fixture database, and its manifest."""
    fixture: Path = request.param
    return unpack(fixture, tmp_path / "tracker.duckdb"), manifest(fixture)


def test_there_is_a_fixture_of_the_release_before_every_schema_change() -> None:
    assert FIXTURES, "no release fixture under tests/data/releases"
    schemas = {manifest(f)["schema"] for f in FIXTURES}
    assert migrate.BASELINE in schemas
    # The newest fixture is of the release just before the newest step, or of this schema.
    assert max(schemas) >= store.SCHEMA_VERSION - len(migrate.pending(max(schemas)))
    steps = migrate.steps()
    assert [s.version for s in steps] == list(range(migrate.BASELINE + 1, store.SCHEMA_VERSION + 1))


def test_an_upgraded_release_shows_exactly_what_it_showed(
    release_db: tuple[Path, dict[str, Any]],
) -> None:
    db, made = release_db
    before = contents(db)
    audit_before = before["audit_events"]

    done = run_cli("migrate", "--by", "Upgrade tester", db=db, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"is now at schema {store.SCHEMA_VERSION}" in done.stdout
    for step in migrate.pending(made["schema"]):
        assert step.label in done.stdout

    after = contents(db, columns_of=before["(columns)"])
    for name in before:
        if name in ("(columns)", "audit_events", "schema_version", "schema_migrations"):
            continue
        assert after[name] == before[name], f"{name} differs after the upgrade"

    # The audit trail: every event as it was, and one more for the upgrade.
    assert after["audit_events"][: len(audit_before)] == audit_before
    con = store.open_tracker(db)
    try:
        new_events = con.execute(
            "select actor, action, target, outcome, detail from audit_events"
            " where event_id > ? order by event_id",
            [max(row[0] for row in audit_before)],
        ).fetchall()
        assert len(new_events) == 1
        actor, action, target, outcome, detail = new_events[0]
        assert (actor, action, target, outcome) == ("Upgrade tester", "migrate", db.name, "success")
        assert f"schema {made['schema']} to {store.SCHEMA_VERSION}" in detail
        assert "backup" in detail

        # The history of the schema, step by step.
        history = con.execute(
            "select version, name, applied_by, app_version, how, applied_at > now() - interval 1"
            " hour from schema_migrations where how = 'migrated' order by version"
        ).fetchall()
        assert history == [
            (s.version, s.name, "Upgrade tester", cjb_tracker.__version__, "migrated", True)
            for s in migrate.pending(made["schema"])
        ]

        # Users keep their roles, and their old passwords still sign them in.
        columns = before["(columns)"]["users"]
        name_at, role_at = columns.index("username"), columns.index("role")
        roles = {row[name_at]: row[role_at] for row in before["users"]}
        for username, password in made["passwords"].items():
            assert auth.sign_in(con, username, password).role == roles[username]

        # The upgraded file takes a new upload, and its undo.
        shown = {v: con.execute(f"select * from {v} order by all").fetchall() for v in VIEWS}
        result = ingest.import_path(
            con, "updates", EXAMPLES / "updates.csv", imported_by="Upgrade tester"
        )
        assert result.status in ("committed", "duplicate"), result.errors
        fresh = _new_updates_file(db.parent, con)
        result = ingest.import_path(con, "updates", fresh, imported_by="Upgrade tester")
        assert result.status == "committed", result.errors
        assert result.batch_id is not None
        ingest.undo_batch(con, result.batch_id, "Upgrade tester")
        assert shown == {
            v: con.execute(f"select * from {v} order by all").fetchall() for v in VIEWS
        }
    finally:
        con.close()


def _new_updates_file(folder: Path, con: duckdb.DuckDBPyConnection) -> Path:
    """An update for every open recommendation at the newest CJB meeting, read from the
    upgraded file itself."""
    meeting = con.execute(
        "select held_on from meetings where body = 'CJB' order by held_on desc limit 1"
    ).fetchall()[0][0]
    recs = [r for (r,) in con.execute(
        "select rec_id from current_status where is_open and body = 'CJB' order by rec_id"
    ).fetchall()]  # fmt: skip
    lines = ["recommendation_id,meeting_date,status,rag,update"]
    lines += [f"{r},{meeting:%d/%m/%Y},In progress,Amber,After the upgrade." for r in recs]
    path = folder / "after_upgrade.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_upgraded_database_has_the_schema_of_a_new_one(
    release_db: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    db, _ = release_db
    assert run_cli("migrate", db=db, timeout=300).returncode == 0
    new = tmp_path / "new.duckdb"
    con = store.connect(new)
    seed.init_database(con)
    con.close()
    assert catalog(db) == catalog(new)


def test_a_dry_run_lists_the_steps_and_changes_nothing(
    release_db: tuple[Path, dict[str, Any]],
) -> None:
    db, made = release_db
    was = digest(db)
    done = run_cli("migrate", "--dry-run", db=db, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"is at schema {made['schema']}" in done.stdout
    assert "Nothing was changed (dry run)." in done.stdout
    for step in migrate.pending(made["schema"]):
        assert step.label in done.stdout
    assert digest(db) == was
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]  # no backup, no work file


def test_a_second_run_does_nothing_and_says_so(release_db: tuple[Path, dict[str, Any]]) -> None:
    db, _ = release_db
    assert run_cli("migrate", db=db, timeout=300).returncode == 0
    was = digest(db)
    again = run_cli("migrate", db=db, timeout=300)
    assert again.returncode == 0
    assert f"is up to date (schema {store.SCHEMA_VERSION}); nothing to do." in again.stdout
    assert digest(db) == was


def test_the_backup_is_next_to_the_database_and_holds_the_release(
    release_db: tuple[Path, dict[str, Any]],
) -> None:
    db, made = release_db
    before = contents(db)
    done = run_cli("migrate", db=db, timeout=300)
    backups = list(db.parent.glob(f"tracker.schema{made['schema']}-backup-*.duckdb"))
    assert len(backups) == 1, sorted(p.name for p in db.parent.iterdir())
    assert str(backups[0]) in done.stdout
    assert contents(backups[0]) == before  # restoring is copying it back


def test_commands_and_the_dashboard_on_an_older_schema_name_migrate(
    release_db: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _ = release_db
    was = digest(db)
    refused = run_cli("import", "updates", str(EXAMPLES / "updates.csv"), db=db, timeout=300)
    assert refused.returncode == 1
    assert "made by an earlier version of the tracker" in refused.stderr
    assert f"cjb-tracker migrate --db {db}" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert digest(db) == was

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CJB_TRACKER_DB", str(db))
    at = AppTest.from_file(str(Path(__file__).parents[1] / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert any("cjb-tracker migrate" in e.value for e in at.error), [e.value for e in at.error]


def later_version(db: Path) -> None:
    """What a file of a later release looks like to this code: a higher schema version."""
    con = duckdb.connect(str(db))
    con.execute("update schema_version set version = ?", [store.SCHEMA_VERSION + 1])
    con.close()


def test_a_database_of_a_later_release_is_refused_and_never_written(
    release_db: tuple[Path, dict[str, Any]],
) -> None:
    db, _ = release_db
    later_version(db)
    was = digest(db)
    for args in (("migrate",), ("migrate", "--dry-run"), ("user", "list")):
        refused = run_cli(*args, db=db, timeout=300)
        assert refused.returncode == 1, args
        assert "made by a later version of the tracker" in refused.stderr
        assert "Traceback" not in refused.stderr
    assert digest(db) == was
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


def test_a_failing_step_leaves_the_file_byte_for_byte_then_a_second_run_succeeds(
    release_db: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, made = release_db
    was = digest(db)
    last = migrate.pending(made["schema"])[-1].version

    def fault(cur: duckdb.DuckDBPyConnection) -> None:
        # The step's SQL has run inside the transaction; then the disk fills, say.
        assert cur.execute("select count(*) from schema_migrations").fetchall()[0][0] == 0
        raise duckdb.IOException("No space left on device")

    monkeypatch.setitem(migrate.PYTHON_STEPS, last, fault)
    with pytest.raises(TrackerError) as failed:
        migrate.migrate(db, by="tester")
    message = str(failed.value)
    assert "the database was left exactly as it was" in message
    assert "No space left on device" in message
    backup = next(db.parent.glob("tracker.schema*-backup-*.duckdb"))
    assert f"A backup is at {backup}." in message
    assert digest(db) == was
    assert not list(db.parent.glob("*.migrating*"))

    monkeypatch.delitem(migrate.PYTHON_STEPS, last)
    outcome = migrate.migrate(db, by="tester")
    assert outcome.todo and outcome.backup is not None
    con = store.open_tracker(db)  # now at this code's schema
    con.close()


def test_a_lost_row_stops_the_upgrade(
    release_db: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check after the steps is real: a step that loses a record is refused."""
    db, made = release_db
    was = digest(db)
    last = migrate.pending(made["schema"])[-1].version
    monkeypatch.setitem(
        migrate.PYTHON_STEPS,
        last,
        lambda cur: cur.execute("delete from audit_events where action = 'export'"),
    )
    with pytest.raises(TrackerError, match="audit_events had .* rows and now has"):
        migrate.migrate(db, by="tester")
    assert digest(db) == was


# --- Killed in the middle -----------------------------------------------------------------

KILL_TRIALS = 8


@pytest.fixture(scope="module")
def big_release_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The oldest release fixture with 40,000 more updates (800 recommendations at 50
    meetings), so an upgrade takes long enough to be killed at many points."""
    db = unpack(FIXTURES[0], tmp_path_factory.mktemp("big") / "big.duckdb")
    con = store.connect(db)  # an older schema: only raw statements and the refresh
    with store.transaction(con) as cur:
        batch = cur.execute("select max(batch_id) + 1 from import_batches").fetchall()[0][0]
        cur.execute(
            "insert into import_batches (batch_id, kind, file_name, imported_by, status)"
            " values (?, 'updates', 'big.csv', 'kill test', 'committed')",
            [batch],
        )
        cur.execute(
            "insert into meeting_records select 1000000 + i, 'CJB:' || strftime(d, '%Y-%m-%d'),"
            " 'CJB', d, 'Kill test meeting', ? from (select i, date '2030-01-15' +"
            " to_days(cast(i * 28 as integer)) as d from range(50) t(i))",
            [batch],
        )
        cur.execute(
            "insert into recommendation_records select 1000000 + i, 'KILL1-R' || (i + 1), 'KILL1',"
            " i + 1, 'Kill test ' || i, 'Text ' || i, null, null, 'Lead ' || (i % 20), 'CJB',"
            " null, ? from range(800) t(i)",
            [batch],
        )
        cur.execute(
            "insert into updates (update_id, rec_id, meeting_id, status, rag, narrative,"
            " batch_id, source_row) select 10000000 + m * 800 + r, 'KILL1-R' || (r + 1),"
            " 'CJB:' || strftime(date '2030-01-15' + to_days(cast(m * 28 as integer)),"
            " '%Y-%m-%d'), 'In progress', 'Amber', 'Work continues ' || m, ?, r + 2"
            " from range(50) a(m), range(800) b(r)",
            [batch],
        )
        store.refresh_derived(cur, None)
    con.execute("checkpoint")
    con.close()
    return db


def test_killed_mid_upgrade_leaves_the_release_file_or_the_upgraded_one(
    big_release_db: Path, tmp_path: Path
) -> None:
    original = digest(big_release_db)
    shown = contents(big_release_db)

    def start(db: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "cjb_tracker", "migrate", "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    db = tmp_path / "whole" / "tracker.duckdb"
    db.parent.mkdir()
    shutil.copy(big_release_db, db)
    started = time.monotonic()
    assert start(db).wait(timeout=300) == 0
    whole = time.monotonic() - started

    seen = {"release file": 0, "upgraded": 0}
    for trial in range(KILL_TRIALS):
        db = tmp_path / f"trial{trial}" / "tracker.duckdb"
        db.parent.mkdir()
        shutil.copy(big_release_db, db)
        process = start(db)
        time.sleep(whole * (0.1 + 0.85 * trial / (KILL_TRIALS - 1)))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        if digest(db) == original:
            seen["release file"] += 1
        else:
            # Only the one rename at the end replaces the file: then it is whole.
            con = store.open_tracker(db)
            con.close()
            assert rows_of(db, "updates", shown) == shown["updates"]
            seen["upgraded"] += 1
        # Whatever was left, the next run ends with the upgraded database.
        again = run_cli("migrate", db=db, timeout=300)
        assert again.returncode == 0, again.stderr
        assert rows_of(db, "positions", shown) == shown["positions"]
        assert not list(db.parent.glob("*.migrating*"))
    # Kills spread over the whole run, so most land before the final rename.
    assert seen["release file"] >= KILL_TRIALS // 2, seen


# --- Backups of an earlier release -------------------------------------------------------


def test_a_backup_of_an_earlier_release_restores_upgraded(
    release_db: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    db, made = release_db
    before = contents(db)
    backup = tmp_path / "backup"
    assert run_cli("backup", str(backup), db=db, timeout=300).returncode == 0
    target = tmp_path / "restored.duckdb"
    done = run_cli("restore", str(backup), "--by", "Restorer", db=target, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (
        f"It was a backup of schema {made['schema']}, upgraded to schema {store.SCHEMA_VERSION}."
        in done.stdout
    )
    assert "everyone must sign in again" in done.stdout
    after = contents(target, columns_of=before["(columns)"])
    for name in before:
        if name not in ("(columns)", "audit_events", "schema_version", "schema_migrations",
                        "server_secrets"):  # fmt: skip
            assert after[name] == before[name], name
    assert after["audit_events"][: len(before["audit_events"])] == before["audit_events"]
    # A backup holds no session key: the restored database has a new one.
    assert len(after["server_secrets"]) == 1
    assert after["server_secrets"] != before["server_secrets"]
    assert catalog(target) == catalog(_new_database(tmp_path / "new.duckdb"))


def _new_database(path: Path) -> Path:
    con = store.connect(path)
    seed.init_database(con)
    con.close()
    return path


# --- A release that changes DuckDB's version ---------------------------------------------

OTHER_DUCKDB = "1.5.6"  # cannot open a file DuckDB 2.0.1 wrote (storage version 69 > 68)


@pytest.fixture(scope="session")
def other_duckdb() -> Path:
    """DuckDB 1.5.6 installed apart from the pinned one (once, into .venv/engines), to run
    this code as a release pinning another DuckDB would."""
    target = Path(sys.prefix) / "engines" / f"duckdb-{OTHER_DUCKDB}"
    if not (target / "duckdb").is_dir():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
             str(target), f"duckdb=={OTHER_DUCKDB}"],
            check=True,
        )  # fmt: skip
    return target


def with_duckdb(engine_dir: Path, *args: str, db: Path) -> subprocess.CompletedProcess[str]:
    """The command line, with another DuckDB than the pinned one."""
    return subprocess.run(
        [sys.executable, "-m", "cjb_tracker", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(engine_dir)},
    )


def test_a_change_of_duckdb_version_goes_through_an_export_and_says_so(
    release_db: tuple[Path, dict[str, Any]], other_duckdb: Path, tmp_path: Path
) -> None:
    db, made = release_db
    before = contents(db)
    original = digest(db)
    lock = tmp_path / "requirements.lock"
    lock.write_text(f"pandas==3.1.1\nduckdb=={OTHER_DUCKDB}\n", encoding="utf-8")

    # make, before it installs the new pinned set, with the DuckDB still installed:
    exported = subprocess.run(
        [sys.executable, "-m", "cjb_tracker.engine", "export-if-changing",
         "--lock", str(lock), "--db", str(db)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert f"DuckDB changes from {duckdb.__version__} to {OTHER_DUCKDB}" in exported.stdout
    assert digest(db) == original

    # The new DuckDB cannot open the file: every command says what to run.
    refused = with_duckdb(other_duckdb, "user", "list", db=db)
    assert refused.returncode == 1
    assert f"was written by DuckDB {made['duckdb']}" in refused.stderr
    assert "cjb-tracker migrate" in refused.stderr
    assert "Traceback" not in refused.stderr

    done = with_duckdb(other_duckdb, "migrate", "--by", "Engine tester", db=db)
    assert done.returncode == 0, done.stderr
    assert f"which DuckDB {OTHER_DUCKDB} cannot open: it was rebuilt from" in done.stdout
    kept = db.with_name(f"{db.name}.duckdb-{made['duckdb']}.bak")
    assert f"The old file is kept at {kept}." in done.stdout
    assert digest(kept) == original

    assert with_duckdb(other_duckdb, "user", "list", db=db).returncode == 0
    after = contents(db, columns_of=before["(columns)"])
    for name in before:
        if name not in ("(columns)", "audit_events", "schema_version", "schema_migrations"):
            assert after[name] == before[name], name
    assert after["audit_events"][: len(before["audit_events"])] == before["audit_events"]


def test_without_an_export_the_other_duckdb_changes_nothing(
    release_db: tuple[Path, dict[str, Any]], other_duckdb: Path
) -> None:
    db, made = release_db
    original = digest(db)
    refused = with_duckdb(other_duckdb, "migrate", db=db)
    assert refused.returncode == 1
    assert f"was written by DuckDB {made['duckdb']}" in refused.stderr
    assert "no export of it was made before the change. Nothing was changed." in refused.stderr
    assert "Traceback" not in refused.stderr
    assert digest(db) == original
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]
