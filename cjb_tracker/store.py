"""The DuckDB store: opening the file, the schema, named queries and transactions."""

from __future__ import annotations

import functools
import getpass
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from cjb_tracker import engine, replica
from cjb_tracker.errors import DatabaseInUse, NotAllowed, TrackerError

if TYPE_CHECKING:
    import pandas as pd  # run_query's frames: duckdb loads pandas when one is made

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "tracker.duckdb"
# The schema this code reads and writes (schema_version in queries/schema.sql); a database of
# an earlier one is upgraded by cjb_tracker.migrate (queries/migrations/).
SCHEMA_VERSION = 7
FIRST_RELEASED_SCHEMA = 3  # release 0.1.0's: the oldest a Board may hold, the migrations' baseline

_LOCK_PID = re.compile(r"PID (\d+)")
_COPY = re.compile(r"COPY (\w+) FROM '[^']*?([\w.]+\.parquet)'")
_SEQUENCE = re.compile(r"CREATE SEQUENCE (\w+) .*?;")


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: the one named, else $CJB_TRACKER_DB, else data/tracker.duckdb."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("CJB_TRACKER_DB") or DEFAULT_DB)


def database(explicit: str | os.PathLike[str] | None = None) -> Path | str:
    """The database: a DuckDB file, or a PostgreSQL connection string
    (`postgresql://user:password@host:port/name`, for several replicas: cjb_tracker.replica);
    the one named, else $CJB_TRACKER_DB, else data/tracker.duckdb."""
    chosen = str(explicit) if explicit else os.environ.get("CJB_TRACKER_DB") or ""
    if replica.is_postgres(chosen):
        return chosen
    return Path(chosen) if chosen else DEFAULT_DB


def connect(path: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database read-write; a file held by another process is a plain message.
    For PostgreSQL, the connection is to this process's up-to-date copy (see replica)."""
    target = database(path)
    if isinstance(target, str):
        return replica.Replica.open(target).local
    try:
        con = duckdb.connect(str(target))
    except (duckdb.IOException, duckdb.SerializationException) as error:
        raise explain_open_failure(target, error) from error
    con.execute("set TimeZone = 'Europe/London'")
    return con


def close(con: duckdb.DuckDBPyConnection) -> None:
    """Close a connection that connect or open_tracker gave (and its copy's PostgreSQL
    link and cache, for a tracker in PostgreSQL)."""
    shared = replica.of(con)
    if shared is not None:
        shared.close()
    else:
        con.close()


def catch_up(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring a copy of a tracker in PostgreSQL up to date with what other replicas wrote;
    True when anything changed (always False for a DuckDB file, which has one writer)."""
    shared = replica.of(con)
    return shared.catch_up() if shared is not None else False


@contextmanager
def one_replica_at_a_time(
    con: duckdb.DuckDBPyConnection, key: int, wait_seconds: float
) -> Iterator[bool]:
    """Work that one replica at a time may do, for a tracker in PostgreSQL (replica.exclusive:
    True once held, False when another replica held it past wait_seconds). A DuckDB file has
    one process, whose own lock suffices: True at once."""
    shared = replica.of(con)
    if shared is None:
        yield True
        return
    with shared.exclusive(key, wait_seconds) as held:
        yield held


def explain_open_failure(target: Path, error: duckdb.Error) -> TrackerError:
    text = str(error)
    if engine.UNREADABLE_FORMAT.search(text) and target.is_file():
        writer = engine.written_by(target) or "another version"
        return TrackerError(
            f"The database {target} was written by DuckDB {writer}, which this version's "
            f"DuckDB ({duckdb.__version__}) cannot open. Nothing was changed. Run: cjb-tracker "
            f"migrate --db {target} (make run does it): it rebuilds the file from the export "
            "that make writes before it changes DuckDB."
        )
    if "lock" not in text.lower():
        return TrackerError(f"The database {target} could not be opened: {text.splitlines()[0]}")
    found = _LOCK_PID.search(text)
    holder = f"process {found.group(1)}" if found else "another process"
    return DatabaseInUse(
        f"The database {target} is in use by {holder} (for example the dashboard). "
        "Stop that process or wait for it to finish, then try again."
    )


def open_tracker(path: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """Open an existing tracker database whose schema this code can read."""
    if isinstance(database(path), str):
        return connect(path)  # the copy is made only of a schema this code reads
    con = connect(path)
    try:
        check_version(con, db_path(path))
    except TrackerError:
        con.close()
        raise
    return con


def check_version(con: duckdb.DuckDBPyConnection, path: Path | str) -> None:
    """Refuse, with what to do, a database of another schema: an earlier one is upgraded by
    `cjb-tracker migrate`; a later one is never read by this code (no downgrade)."""
    check_version_number(schema_version(con), path)


def check_version_number(found: int | None, path: Path | str) -> None:
    if found == SCHEMA_VERSION:
        return
    if found is not None and found > SCHEMA_VERSION:
        raise newer_schema(path, found)
    if found is None or found < FIRST_RELEASED_SCHEMA:
        raise TrackerError(
            f"The database {path} was made by a test version of the tracker from before "
            f"release 0.1.0 (schema {found or 1}), which cannot be upgraded. Keep the file; "
            "demo data can be rebuilt with 'make demo'."
        )
    raise TrackerError(
        f"The database {path} was made by an earlier version of the tracker (schema "
        f"{found}; this version uses schema {SCHEMA_VERSION}). Upgrade it, keeping every "
        f"record, with: cjb-tracker migrate --db {path} (make run does it for you)."
    )


def newer_schema(path: Path | str, found: int) -> TrackerError:
    return TrackerError(
        f"The database {path} was made by a later version of the tracker (schema {found}; "
        f"this version uses schema {SCHEMA_VERSION}). It was left as it is: run the version "
        "that made it (an upgrade is never undone by an older version)."
    )


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version the file holds (None before versions were recorded)."""
    if not scalar(
        con,
        "select count(*) from information_schema.tables where table_name = 'schema_version'",
    ):
        return None
    found = scalar(con, "select max(version) from schema_version")
    return None if found is None else int(found)


def has_schema(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        scalar(
            con,
            "select count(*) from information_schema.tables where table_name = 'import_batches'",
        )
    )


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table, view and macro on an empty database, in one transaction."""
    if has_schema(con):
        raise NotAllowed("The database already holds a tracker; it was left as it is.")
    with transaction(con) as cur:
        cur.execute(load_query("schema"))
        cur.execute(
            "insert into schema_migrations (version, name, applied_by, app_version, how)"
            " select version, 'new database', ?, ?, 'created' from schema_version",
            [_login_name(), _app_version()],
        )
        # The key that signs session cookies (auth.cookie_secret), made now rather than by
        # the first sign-in: thirty people signing in at once would each try to make it.
        new_session_key(cur)


def new_session_key(cur: duckdb.DuckDBPyConnection) -> None:
    """A new key to sign session cookies, in place of any other: every cookie signed before
    stops signing anyone in (made with a database and by every restore)."""
    cur.execute("delete from server_secrets where name = 'session-cookie'")
    cur.execute(
        "insert into server_secrets (name, value) values ('session-cookie', ?)",
        [secrets.token_hex(32)],
    )


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _app_version() -> str:
    from cjb_tracker import __version__

    return __version__


def has_query(name: str) -> bool:
    """Whether queries/{name}.sql exists (a query a later part of the tracker brings)."""
    return (QUERIES / f"{name}.sql").is_file()


@functools.cache
def load_query(name: str) -> str:
    """The text of queries/{name}.sql."""
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run queries/{name}.sql with $name parameters bound, on a cursor of its own."""
    cur = con.cursor()
    try:
        return cur.execute(load_query(name), params or None).df()
    finally:
        cur.close()


def run_rows(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows queries/{name}.sql (one statement) returns on this cursor, given the $name
    parameters it uses of those passed."""
    sql = load_query(name)
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    return cur.execute(sql, used or None).fetchall()


def run_script(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> None:
    """Run every statement of queries/{name}.sql in order, each given the $name
    parameters it uses (DuckDB binds parameters for one statement at a time)."""
    for statement in _statements(name):
        used = {k: v for k, v in params.items() if f"${k}" in statement}
        cur.execute(statement, used or None)


@functools.cache
def _statements(name: str) -> tuple[str, ...]:
    # Our own query files end each statement with ';' at the end of a line.
    parts = re.split(r";\s*\n", load_query(name))
    return tuple(p for p in parts if _PARAM_OR_CODE.search(p))


_PARAM_OR_CODE = re.compile(r"^\s*[a-z(]", re.MULTILINE)


def refresh_derived(cur: duckdb.DuckDBPyConnection, batch_id: int | None) -> None:
    """Rebuild what is derived from the records (current_recommendations and positions in
    schema.sql) for the recommendations a batch touches (for all, given None): call it inside
    the transaction that commits or undoes the batch, once its status is set."""
    run_script(cur, "refresh_recommendations", batch_id=batch_id)
    run_script(cur, "refresh_positions", batch_id=batch_id)


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The single value a small bookkeeping statement returns."""
    # fetchall, not fetchone: DuckDB 2 refuses new work on a cursor with rows unread.
    rows = con.execute(sql, params).fetchall()
    return rows[0][0] if rows else None


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own inside one explicit transaction."""
    cur = con.cursor()
    try:
        with begun(cur):
            yield cur
    finally:
        cur.close()


@contextmanager
def begun(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One explicit transaction on this cursor: committed on success, rolled back on error.
    On a copy of a tracker kept in PostgreSQL, the write goes to PostgreSQL in the same
    step, under its lock (cjb_tracker.replica): every write of the tracker passes here."""
    shared = replica.of(cur)
    if shared is not None:
        with shared.writing(cur):
            yield cur
        return
    cur.execute("set TimeZone = 'Europe/London'")
    cur.execute("begin transaction")
    try:
        yield cur
    except BaseException:
        cur.execute("rollback")
        raise
    cur.execute("commit")


# What a backup leaves out: the key that signs session cookies, and the sessions.
NOT_BACKED_UP = ("server_secrets", "sessions")


def backup(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """Write the whole database as Parquet plus its schema (EXPORT DATABASE), except the
    server's own secrets and sessions: whoever holds a backup must not be able to sign a
    session cookie. (They are left out inside a transaction that is rolled back, so the
    database keeps them; a restore makes a new key.)"""
    if directory.exists() and any(directory.iterdir()):
        raise NotAllowed(f"{directory} is not empty; choose a new folder for the backup.")
    directory.mkdir(parents=True, exist_ok=True)
    con.execute("checkpoint")
    cur = con.cursor()
    try:
        cur.execute("begin")
        held = {
            name for (name,) in cur.execute("select table_name from duckdb_tables()").fetchall()
        }
        for table in NOT_BACKED_UP:  # (a file of an earlier schema may lack one)
            if table in held:
                cur.execute(f"delete from {table}")
        cur.execute(f"export database '{_quoted_path(directory)}' (format parquet)")
    finally:
        cur.execute("rollback")
        cur.close()


def restore(con: duckdb.DuckDBPyConnection, directory: Path, *, new_key: bool = True) -> None:
    """Load a backup of this schema version into an empty database: our schema first
    (DuckDB's own export puts macros and views in an order it cannot re-import), then the
    backup's rows and the sequences where they stood. (A backup of an earlier version goes
    through cjb_tracker.migrate.restore.)"""
    exported = directory / "schema.sql"
    if not exported.is_file() or not (directory / "load.sql").is_file():
        raise TrackerError(f"{directory} does not hold a backup (no schema.sql and load.sql).")
    create_schema(con)
    with transaction(con) as cur:
        # The backup carries its own copies of these.
        for table in ("statuses", "schema_version", "schema_migrations", "server_secrets"):
            cur.execute(f"delete from {table}")
        copy_backup_rows(cur, directory)
        for match in _SEQUENCE.finditer(exported.read_text(encoding="utf-8")):
            cur.execute(f"drop sequence {match.group(1)}")
            cur.execute(match.group(0))
        if new_key:  # (an older backup holds the key: never reuse it)
            new_session_key(cur)
        if schema_version(cur) != SCHEMA_VERSION:
            raise TrackerError(
                f"{directory} is a backup made by another version of the tracker; restore it "
                "with that version. Nothing was restored."
            )
    con.execute("checkpoint")


def backup_files(directory: Path) -> list[tuple[str, Path]]:
    """Each table of a backup folder and its Parquet file (read from here: the folder may
    have moved since it was written)."""
    load = (directory / "load.sql").read_text(encoding="utf-8")
    return [(table, directory / file_name) for table, file_name in _COPY.findall(load)]


def copy_backup_rows(cur: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """Every row of a backup folder into the tables of the same names."""
    for table, parquet in backup_files(directory):
        try:
            cur.execute(f"copy {table} from '{_quoted_path(parquet)}' (format parquet)")
        except duckdb.Error as error:
            raise TrackerError(
                f"{directory} does not fit this version of the tracker ({table}: "
                f"{str(error).splitlines()[0]}); restore it with the version that made "
                "it. Nothing was restored."
            ) from error


def _quoted_path(path: Path) -> str:
    # EXPORT/IMPORT DATABASE take no bound parameters; the path is the only literal.
    return str(path.resolve()).replace("'", "''")
