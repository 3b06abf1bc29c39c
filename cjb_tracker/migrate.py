"""Schema migrations: bring a database made by an earlier release up to this code's schema,
keeping every record.

The schema's history is `queries/migrations/NNNN_<what>.sql`, one file per version after
the baseline (version 3, the schema of release 0.1.0). A step holds table changes only.
Views and macros are not migrated one by one: after the steps, every view and macro is
dropped and made again from `queries/schema.sql`, and the derived tables
(current_recommendations, positions, reported_to) are rebuilt from the append-only records.
`queries/schema.sql` stays the whole current schema, and a new database is made from it;
tests/test_migrations.py checks that an upgraded database and a new one agree.

`cjb-tracker migrate` never changes the file in place. It copies the file to a backup next
to it (and checks the copy holds what the file holds), copies it again to a work file,
applies every pending step there in one transaction, checks that every table and every
view holds what it held before, records the steps and an audit event, and only then moves
the work file over the database (one rename). A failure or a kill at any point leaves the
database byte for byte as it was.

(About 525 lines, kept as one module: the upgrade is one procedure, backup, steps, checks,
record, for the DuckDB file and for PostgreSQL, whose stages must stay in step; the steps
themselves are SQL in queries/migrations/.)
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

import cjb_tracker
from cjb_tracker import audit, engine, replica, store
from cjb_tracker.errors import TrackerError

MIGRATIONS = store.QUERIES / "migrations"
BASELINE = store.FIRST_RELEASED_SCHEMA  # release 0.1.0's schema, the first a Board may hold
_STEP_FILE = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")
_CREATE_TABLE = re.compile(r"^create\s+table\s+(\w+)", re.IGNORECASE)
_VIEW_OR_MACRO = re.compile(r"^create\s+(or\s+replace\s+)?(view|macro)\s", re.IGNORECASE)

# What a check before and after compares, per table or view: its columns, rows and a hash
# of every row (order does not matter).
Fingerprint = dict[str, tuple[tuple[str, ...], int, int]]


@dataclass(frozen=True)
class Step:
    """One numbered migration: it brings a database of version - 1 to version."""

    version: int
    name: str
    path: Path

    @property
    def label(self) -> str:
        return f"{self.version:04d} {self.name.replace('_', ' ')}"


def steps() -> list[Step]:
    """Every migration, in order; the files must number on from the baseline without gaps."""
    found = sorted(
        (
            Step(int(m.group(1)), m.group(2), path)
            for path in MIGRATIONS.glob("*.sql")
            if (m := _STEP_FILE.fullmatch(path.name))
        ),
        key=lambda step: step.version,
    )
    expected = list(range(BASELINE + 1, BASELINE + 1 + len(found)))
    if [s.version for s in found] != expected or (
        found and found[-1].version != store.SCHEMA_VERSION
    ):
        raise RuntimeError(
            f"queries/migrations does not number {BASELINE + 1}..{store.SCHEMA_VERSION}: "
            f"{[s.path.name for s in found]}"
        )
    return found


def pending(version: int) -> list[Step]:
    return [s for s in steps() if s.version > version]


# --- Applying steps (inside the caller's transaction) ------------------------------------

# A step that SQL alone cannot do, run after the version's SQL file: version -> function.
PYTHON_STEPS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {}


def apply_steps(cur: duckdb.DuckDBPyConnection, todo: list[Step]) -> None:
    """Run the steps, then make every view and macro again from schema.sql and rebuild the
    derived tables; the caller's transaction makes it all or nothing."""
    for step in todo:
        for statement in _split(step.path.read_text(encoding="utf-8")):
            cur.execute(statement)
        if step.version in PYTHON_STEPS:
            PYTHON_STEPS[step.version](cur)
    create_missing_tables(cur)
    remake_views_and_macros(cur)
    store.refresh_derived(cur, None)


def create_missing_tables(cur: duckdb.DuckDBPyConnection) -> None:
    """schema.sql's tables a database lacks: the derived ones, which a copy of a tracker
    in PostgreSQL does not keep (steps never alter a derived table: they drop and create it)."""
    held = {n for (n,) in cur.execute("select table_name from duckdb_tables()").fetchall()}
    for statement in _split(store.load_query("schema")):
        found = _CREATE_TABLE.match(_without_comments(statement))
        if found and found.group(1) in replica.DERIVED and found.group(1) not in held:
            cur.execute(statement)


def remake_views_and_macros(cur: duckdb.DuckDBPyConnection) -> None:
    """Drop every view and macro of the database and create schema.sql's. (DuckDB binds a
    view by name when it is queried, so the order of drops does not matter.)"""
    for (name,) in cur.execute(
        "select view_name from duckdb_views() where not internal and schema_name = 'main'"
        " and not temporary"
    ).fetchall():
        cur.execute(f'drop view "{name}"')
    for name, kind in cur.execute(
        "select distinct function_name, function_type from duckdb_functions()"
        " where function_type in ('macro', 'table_macro') and not internal"
        " and schema_name = 'main'"
    ).fetchall():
        cur.execute(f'drop macro {"table " if kind == "table_macro" else ""}"{name}"')
    for statement in _split(store.load_query("schema")):
        if _VIEW_OR_MACRO.match(_without_comments(statement)):
            cur.execute(statement)


def record_steps(
    cur: duckdb.DuckDBPyConnection, done: list[Step], by: str, how: str = "migrated"
) -> None:
    """The schema's history in the database: each step, when, by whom, by which release."""
    for step in done:
        cur.execute(
            "insert into schema_migrations (version, name, applied_by, app_version, how)"
            " values (?, ?, ?, ?, ?)",
            [step.version, step.name, by, cjb_tracker.__version__, how],
        )
    cur.execute("delete from schema_version")
    cur.execute("insert into schema_version values (?)", [store.SCHEMA_VERSION])


def _split(script: str) -> list[str]:
    parts = re.split(r";\s*\n", script)
    return [p for p in parts if _without_comments(p)]


def _without_comments(statement: str) -> str:
    lines = [line for line in statement.splitlines() if not line.strip().startswith("--")]
    return "\n".join(lines).strip()


# --- Nothing lost ------------------------------------------------------------------------


def fingerprint(con: duckdb.DuckDBPyConnection, only: Fingerprint | None = None) -> Fingerprint:
    """Columns, row count and an order-free hash of the rows of every table and view (or of
    those in `only`, over the columns they had there that still exist)."""
    relations = con.execute(
        "select table_name from duckdb_tables() where schema_name = 'main' and not temporary"
        " union all select view_name from duckdb_views() where schema_name = 'main'"
        " and not internal and not temporary order by 1"
    ).fetchall()
    found: Fingerprint = {}
    for (name,) in relations:
        if only is not None and name not in only:
            continue
        columns = tuple(
            c
            for (c,) in con.execute(
                "select column_name from information_schema.columns where table_name = ?"
                " and table_schema = 'main' order by ordinal_position",
                [name],
            ).fetchall()
        )
        if only is not None:
            columns = tuple(c for c in only[name][0] if c in columns)
        quoted = ", ".join(f'"{c}"' for c in columns)
        rows, digest = con.execute(
            f"select count(*), coalesce(sum(hash({quoted}))::varchar, '0') from \"{name}\""
        ).fetchall()[0]
        found[name] = (columns, int(rows), int(digest))
    return found


def losses(before: Fingerprint, after: Fingerprint) -> list[str]:
    """What differs, in words (an empty list: nothing was lost)."""
    found = []
    for name, (columns, rows, digest) in before.items():
        if name not in after:
            found.append(f"{name} is gone")
            continue
        kept, rows_after, digest_after = after[name]
        if kept != columns:
            found.append(f"{name} lost the columns {sorted(set(columns) - set(kept))}")
        elif rows_after != rows:
            found.append(f"{name} had {rows:,} rows and now has {rows_after:,}")
        elif digest_after != digest:
            found.append(f"the rows of {name} changed")
    return found


# --- The command ---------------------------------------------------------------------------


@dataclass
class Outcome:
    """What `cjb-tracker migrate` found and did, for the command to print."""

    path: Path | str  # the file, or the PostgreSQL database (without its password)
    found: int
    todo: list[Step]
    backup: Path | None = None
    seconds: float = 0.0
    checked: int = 0
    engine: str | None = None  # what was done to carry the file across DuckDB versions


def migrate(path: Path, *, by: str, dry_run: bool = False) -> Outcome:
    """Upgrade the database at `path` to this code's schema (see the module's docstring)."""
    started = time.monotonic()
    _remove_stale_work(path)
    carried = _across_duckdb_versions(path, by, dry_run)
    if carried is not None and dry_run:
        return Outcome(path, 0, [], engine=carried)
    source = _open_source(path)
    try:
        found = _version_to_upgrade(source, path)
        outcome = Outcome(path, found, pending(found), engine=carried)
        if not outcome.todo or dry_run:
            return outcome
        before = fingerprint(source)
        outcome.backup = _backup(path, found, before)
        try:
            outcome.checked = _upgrade_copy(path, outcome, before, by)
        except BaseException as error:
            _work_file(path).unlink(missing_ok=True)
            _work_file(path).with_name(_work_file(path).name + ".wal").unlink(missing_ok=True)
            if isinstance(error, TrackerError | duckdb.Error):
                raise TrackerError(
                    f"The upgrade of {path} failed, so the database was left exactly as it "
                    f"was ({_first_line(error)}). A backup is at {outcome.backup}."
                ) from error
            raise
    finally:
        source.close()
    os.replace(_work_file(path), path)
    outcome.seconds = time.monotonic() - started
    return outcome


def migrate_postgres(dsn: str, *, by: str, dry_run: bool = False) -> Outcome:
    """Upgrade a tracker kept in PostgreSQL (cjb_tracker.replica): PostgreSQL's tables are
    copied into a local DuckDB as they are (from the definitions PostgreSQL keeps), backed up
    as Parquet under backups_folder() (and the backup read back), upgraded there by the same
    steps as a file, checked table by table, and written back to PostgreSQL in one PostgreSQL
    transaction that holds the write lock throughout. A failure leaves PostgreSQL as it was."""
    started = time.monotonic()
    where = replica.redact(dsn)
    shared = replica.Replica.for_upgrade(dsn)
    try:
        found = _version_to_upgrade(shared.local, Path(where))
        outcome = Outcome(where, found, pending(found))
        if not outcome.todo or dry_run:
            return outcome
        before = fingerprint(shared.local)
        outcome.backup = _backup_folder(shared.local, found, before)
        try:
            with store.transaction(shared.local) as cur:  # local only: not registered
                apply_steps(cur, outcome.todo)
                problems = losses(before, fingerprint(cur, only=before))
                if problems:
                    raise TrackerError("; ".join(problems))
                record_steps(cur, outcome.todo, by)
                audit.record(
                    cur, by, "migrate", where, "success",
                    f"schema {found} to {store.SCHEMA_VERSION} "
                    f"({', '.join(s.label for s in outcome.todo)}); backup {outcome.backup}",
                )  # fmt: skip
            shared.replace_all()
        except (TrackerError, duckdb.Error) as error:
            raise TrackerError(
                f"The upgrade of {where} failed, so the database was left exactly as it was "
                f"({_first_line(error)}). A backup is at {outcome.backup}."
            ) from error
        except Exception as error:  # psycopg's errors: the PostgreSQL transaction rolled back
            raise TrackerError(
                f"PostgreSQL refused the upgrade of {where}, so it was left exactly as it "
                f"was ({_first_line(error)}). A backup is at {outcome.backup}."
            ) from error
        outcome.checked = len(before)
    finally:
        shared.close()
    outcome.seconds = time.monotonic() - started
    return outcome


def backups_folder() -> Path:
    """Where a PostgreSQL tracker's upgrade backups go: CJB_TRACKER_BACKUPS, or data/backups
    in the project's folder."""
    return Path(os.environ.get("CJB_TRACKER_BACKUPS") or store.ROOT / "data" / "backups")


def _backup_folder(con: duckdb.DuckDBPyConnection, found: int, before: Fingerprint) -> Path:
    """A Parquet backup (EXPORT DATABASE) of a PostgreSQL tracker's tables, read back into a
    scratch database and compared with what it was made from."""
    folder = backups_folder() / f"postgres-schema{found}-backup-{time.strftime('%Y%m%d-%H%M%S')}"
    folder.parent.mkdir(parents=True, exist_ok=True)
    store.backup(con, folder)
    scratch = duckdb.connect()
    try:
        exported = (folder / "schema.sql").read_text(encoding="utf-8")
        for statement in _split(exported):
            if _CREATE_TABLE_OR_SEQUENCE.match(statement.strip()):
                scratch.execute(statement)
        store.copy_backup_rows(scratch, folder)
        kept = {k: v for k, v in before.items() if k not in store.NOT_BACKED_UP}
        problems = losses(kept, fingerprint(scratch, only=kept))
    finally:
        scratch.close()
    if problems:
        raise TrackerError(
            f"The backup in {folder} did not read back the same ({problems[0]}), so nothing "
            "was changed. Check the disk, then try again."
        )
    return folder


def _across_duckdb_versions(path: Path, by: str, dry_run: bool) -> str | None:
    """When this DuckDB cannot open the file's format, rebuild the file from the export made
    with the DuckDB that wrote it (cjb_tracker.engine); says what was (or would be) done."""
    if not path.is_file():
        return None
    try:
        duckdb.connect(str(path), read_only=True).close()
        return None
    except duckdb.Error as error:
        if not engine.UNREADABLE_FORMAT.search(str(error)):
            return None  # a lock or another fault: _open_source says which
    made_by, have = engine.written_by(path) or "another version", duckdb.__version__
    export = engine.export_for(path)
    if export is None:
        raise TrackerError(
            f"{path} was written by DuckDB {made_by}, which this version's DuckDB ({have}) "
            "cannot open, and no export of it was made before the change. Nothing was "
            "changed. Run the release that wrote it once more (git checkout that version, "
            "then make run), then come back to this one: make exports the file with the old "
            "DuckDB before it installs the new one."
        )
    if dry_run:
        return (
            f"{path} was written by DuckDB {made_by}, which DuckDB {have} cannot open: it "
            f"would be rebuilt from {export}, the export made before the change."
        )
    rebuilt = path.with_name(f"{path.name}.rebuilding")
    for stale in (rebuilt, Path(f"{rebuilt}.wal")):
        stale.unlink(missing_ok=True)
    con = store.connect(rebuilt)
    try:
        found = restore(con, export, by=by, new_key=False)  # the same server's own export
    except BaseException:
        con.close()
        rebuilt.unlink(missing_ok=True)
        raise
    con.close()
    kept = path.with_name(f"{path.name}.duckdb-{made_by}.bak")
    shutil.copyfile(path, kept)
    os.replace(rebuilt, path)
    upgraded = f", upgraded from schema {found}," if found != store.SCHEMA_VERSION else ""
    return (
        f"{path} was written by DuckDB {made_by}, which DuckDB {have} cannot open: it was "
        f"rebuilt from {export} (exported with DuckDB {made_by} before the change){upgraded} "
        f"in one transaction. The old file is kept at {kept}."
    )


def _open_source(path: Path) -> duckdb.DuckDBPyConnection:
    """The database as it is: read-only (so the file is not touched, and no dashboard can
    open it for writing meanwhile), unless a write-ahead log must first be folded in."""
    if not path.exists():
        raise TrackerError(f"There is no database at {path}. Create it with: cjb-tracker init")
    if Path(f"{path}.wal").exists():
        store.connect(path).close()  # DuckDB folds the log into the file on close
    try:
        con = duckdb.connect(str(path), read_only=True)
    except (duckdb.IOException, duckdb.SerializationException) as error:
        raise store.explain_open_failure(path, error) from error
    con.execute("set TimeZone = 'Europe/London'")
    return con


def _version_to_upgrade(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    found = store.schema_version(con)
    if found is None or found < BASELINE:
        raise TrackerError(
            f"{path} was made before release 0.1.0 (no schema version {BASELINE}); it cannot "
            "be upgraded. Keep the file and ask for help."
        )
    if found > store.SCHEMA_VERSION:
        raise store.newer_schema(path, found)
    return found


def _backup(path: Path, found: int, before: Fingerprint) -> Path:
    """A copy of the file next to it, checked to open and hold what the file holds."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.stem}.schema{found}-backup-{stamp}{path.suffix or '.duckdb'}")
    shutil.copyfile(path, backup)
    con = duckdb.connect(str(backup), read_only=True)
    try:
        problems = losses(before, fingerprint(con))
    finally:
        con.close()
    if problems:
        backup.unlink(missing_ok=True)
        raise TrackerError(
            f"The backup of {path} did not read back the same ({problems[0]}), so nothing "
            "was changed. Check the disk, then try again."
        )
    return backup


def _work_file(path: Path) -> Path:
    return path.with_name(f"{path.name}.migrating")


def _remove_stale_work(path: Path) -> None:
    """A work file left by an upgrade that was killed: never the database itself."""
    for stale in (_work_file(path), Path(f"{_work_file(path)}.wal")):
        stale.unlink(missing_ok=True)


def _upgrade_copy(path: Path, outcome: Outcome, before: Fingerprint, by: str) -> int:
    """Upgrade a copy of the file in one transaction; returns how many tables and views
    were checked."""
    work = _work_file(path)
    shutil.copyfile(path, work)
    con = store.connect(work)
    try:
        with store.transaction(con) as cur:
            apply_steps(cur, outcome.todo)
            problems = losses(before, fingerprint(cur, only=before))
            if problems:
                raise TrackerError("; ".join(problems))
            record_steps(cur, outcome.todo, by)
            steps_done = ", ".join(s.label for s in outcome.todo)
            audit.record(
                cur, by, "migrate", path.name, "success",
                f"schema {outcome.found} to {store.SCHEMA_VERSION} ({steps_done});"
                f" backup {outcome.backup}",
            )  # fmt: skip
        con.execute("checkpoint")
        store.check_version(con, path)
    finally:
        con.close()
    return len(before)


# --- Restoring a backup of an earlier version ------------------------------------------------

_CREATE_TABLE_OR_SEQUENCE = re.compile(r"^CREATE (TABLE|SEQUENCE) ", re.IGNORECASE)


def restore(
    con: duckdb.DuckDBPyConnection, directory: Path, *, by: str, new_key: bool = True
) -> int:
    """Load a backup folder (`cjb-tracker backup`, or DuckDB's EXPORT DATABASE of a tracker
    file) into an empty database; a backup of an earlier schema is upgraded in the same
    transaction. A restored database gets a new session key (`new_key`), whatever key the
    folder held. Returns the backup's schema version."""
    found = backup_version(con, directory)
    if found == store.SCHEMA_VERSION:
        store.restore(con, directory, new_key=new_key)
        return found
    if found > store.SCHEMA_VERSION:
        raise TrackerError(
            f"{directory} is a backup made by a later version of the tracker (schema {found}; "
            f"this version uses schema {store.SCHEMA_VERSION}); restore it with that version. "
            "Nothing was restored."
        )
    exported = (directory / "schema.sql").read_text(encoding="utf-8")
    todo = pending(found)
    with store.transaction(con) as cur:
        # The backup's own tables and sequences (where they stood), then its rows.
        for statement in _split(exported):
            if _CREATE_TABLE_OR_SEQUENCE.match(statement.strip()):
                cur.execute(statement)
        store.copy_backup_rows(cur, directory)
        apply_steps(cur, todo)
        record_steps(cur, todo, by)
        if new_key:
            store.new_session_key(cur)  # an older backup holds the key: never reuse it
        audit.record(
            cur, by, "migrate", str(directory), "success",
            f"restored a backup of schema {found} and upgraded it to {store.SCHEMA_VERSION} "
            f"({', '.join(s.label for s in todo)})",
        )  # fmt: skip
    con.execute("checkpoint")
    return found


def backup_version(con: duckdb.DuckDBPyConnection, directory: Path) -> int:
    """The schema version a backup folder holds (read from its schema_version rows)."""
    if not (directory / "schema.sql").is_file() or not (directory / "load.sql").is_file():
        raise TrackerError(f"{directory} does not hold a backup (no schema.sql and load.sql).")
    files = dict(store.backup_files(directory))
    if "schema_version" not in files or _version_in(con, files["schema_version"]) < BASELINE:
        raise TrackerError(
            f"{directory} is a backup made before release 0.1.0 (no schema version "
            f"{BASELINE}); it cannot be restored by this version. Nothing was restored."
        )
    return _version_in(con, files["schema_version"])


def _version_in(con: duckdb.DuckDBPyConnection, parquet: Path) -> int:
    found = con.execute("select max(version) from read_parquet(?)", [str(parquet)]).fetchall()
    return int(found[0][0] or 0)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
