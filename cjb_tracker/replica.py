"""PostgreSQL as the store that several dashboard replicas share (issue 19).

PostgreSQL holds the records: every table of queries/schema.sql but the derived ones
(current_recommendations, positions, reported_to), which each process rebuilds. Each process
keeps the whole tracker in a DuckDB file of its own (a cache in a temporary folder) and runs
every query there: the same SQL, the same speed as with the embedded file, and no second copy
of any query (docs/decisions/0001-postgresql.md says why, with the figures of the routes
measured).

A write (every write goes through store.begun) takes PostgreSQL's advisory lock in a
PostgreSQL transaction, brings the local copy up to date, runs in a DuckDB transaction as it
would on the file, copies the rows it added or changed to PostgreSQL in the same PostgreSQL
transaction, raises the data version, and commits PostgreSQL, then DuckDB. So writes from
every replica are serialised by the database, ids (taken under the lock, from an up-to-date
copy) are unique across replicas, and a batch is whole or absent in PostgreSQL. A replica
that sees a newer data version (`catch_up`, on each page run) copies what is new in one
repeatable-read snapshot and rebuilds the derived rows of the batches that changed.

How new rows are found: a table whose rows are only ever added, each with a larger id than
the last (ids are taken under the write lock), is copied from its id on (GROWS_BY); every
other table is small and is compared whole.

(About 680 lines, kept as one module: one class whose opening, catching up and writing share
one PostgreSQL conversation, its lock, the data version and the marks a write compares;
split, each part would reach into the others' state.)
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from cjb_tracker.errors import TrackerError

log = logging.getLogger(__name__)

DERIVED = frozenset({"current_recommendations", "positions", "reported_to"})
# Tables that only grow, each new row with a larger value in this column than any before.
GROWS_BY = {
    "report_records": "record_id",
    "recommendation_records": "record_id",
    "addressee_records": "record_id",
    "meeting_records": "record_id",
    "updates": "update_id",
    "superseded_updates": "by_batch",
    "user_records": "record_id",
    "audit_events": "event_id",
    "sign_in_attempts": "attempt_id",
    "one_time_passwords": "record_id",  # (a user_records id: taken under the write lock)
    "schema_migrations": "version",
    # Outcome measures (issue 18): records whose ids come from record_seq under the lock.
    "measure_records": "record_id",
    "area_records": "record_id",
    "measure_values": "value_id",
    "measure_link_records": "record_id",
}
# The server's own state rather than the tracker's records: a session's last use moves
# every minute a user works, and the sign-in attempts grow with every try. They are
# replicated like every other table (a session started on one replica counts on all), but
# their changes alone do not make a replica forget its cached results (catch_up).
SERVER_STATE = frozenset({"sessions", "sign_in_attempts"})
# One key for PostgreSQL's advisory lock: every tracker write in the database takes it.
WRITE_LOCK = 0x636A6274  # 'cjbt'
# Keys of work that one replica at a time may do, held while it runs (exclusive).
SEND_LOCK = 0x636A6272  # 'cjbr': sending reminders
LOCK_WAIT = "30s"
TRY_AGAIN = (
    "Another change was being saved at the same moment on another server, so nothing was "
    "written. Try again."
)
_PG_TYPES = {
    "VARCHAR": "text",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "DATE": "date",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "TIMESTAMP": "timestamp",
    "BOOLEAN": "boolean",
    "DOUBLE": "double precision",
    "VARCHAR[]": "text[]",
}
_META = """
create table if not exists cjb_replication (
    one boolean primary key default true check (one),
    version bigint not null
);
create table if not exists cjb_tables (
    name text primary key,
    position integer not null,
    duckdb_sql text not null
);
create table if not exists cjb_sequences (
    name text primary key,
    next_value bigint not null
)
"""


def is_postgres(target: object) -> bool:
    """Whether a database setting names PostgreSQL rather than a DuckDB file."""
    return str(target).startswith(("postgresql://", "postgres://"))


@dataclass
class _Marks:
    """Where each table stood when a write began (to find what the write added)."""

    grown: dict[str, Any] = field(default_factory=dict)
    whole: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)


class Replica:
    """One process's copy of a tracker whose records live in PostgreSQL."""

    def __init__(self, dsn: str, local: duckdb.DuckDBPyConnection, folder: Path) -> None:
        self.dsn = dsn
        self.local = local
        self.folder = folder
        self.name = local.execute("select current_database()").fetchall()[0][0]
        self.version = -1
        self._lock = threading.RLock()  # one PostgreSQL conversation at a time here
        self._pg: Any = None
        # Records of other replicas copied during a write of this one (under the lock),
        # which the next catch_up still reports, so the pages' caches are cleared.
        self._unreported = False

    # --- Opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, dsn: str) -> Replica:
        """A local copy of the tracker in PostgreSQL, made whole and up to date."""
        replica = cls._empty(dsn)
        try:
            with replica._lock:
                replica._connect()
                if not replica._has_tracker():
                    raise TrackerError(
                        f"There is no tracker in the PostgreSQL database {redact(dsn)} yet. "
                        "Create one with: cjb-tracker init --db postgresql://..."
                    )
                replica._build_local_schema()
                replica._catch_up_now(full=True)
        except BaseException:
            replica.close()
            raise
        _REPLICAS[replica.name] = replica
        return replica

    @classmethod
    def create(
        cls, dsn: str, build: Callable[[duckdb.DuckDBPyConnection], object] | None = None
    ) -> Replica:
        """A new tracker in PostgreSQL and its local copy. `build` makes it on the local copy
        before anything is in PostgreSQL (by default the schema only: store.create_schema;
        cjb-tracker init passes the seed and demo, restore a backup); then every table and
        row goes to PostgreSQL in one transaction, and later writes go as they happen."""
        from cjb_tracker import store

        replica = cls._empty(dsn)
        try:
            with replica._lock:
                replica._connect()
                if replica._has_tracker():
                    raise TrackerError(
                        f"The PostgreSQL database {redact(dsn)} already holds a tracker; it was "
                        "left as it is."
                    )
                (build or store.create_schema)(replica.local)  # not yet replicated
                replica._publish_schema()  # all of it, in one PostgreSQL transaction
        except BaseException:
            replica.close()
            raise
        _REPLICAS[replica.name] = replica
        return replica

    @classmethod
    def for_upgrade(cls, dsn: str) -> Replica:
        """A local copy of PostgreSQL's tables as they are, whatever their schema version,
        made from the DuckDB definitions PostgreSQL keeps, while this process holds the
        write lock (until `replace_all` commits or `close`): no replica writes meanwhile.
        It is not registered, so what is done to it stays local until replace_all."""
        import psycopg

        replica = cls._empty(dsn)
        try:
            replica._connect()
            if not replica._has_tracker():
                raise TrackerError(f"There is no tracker in the PostgreSQL database {redact(dsn)}.")
            try:
                replica._pg.execute(f"set local lock_timeout = '{LOCK_WAIT}'")
                replica._pg.execute("select pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            except psycopg.Error as error:
                raise TrackerError(
                    "Another change is being saved to the PostgreSQL database; stop every "
                    "replica of the dashboard, then run the upgrade again."
                ) from error
            definitions = replica._pg.execute(
                "select name, duckdb_sql from cjb_tables order by position"
            ).fetchall()
            with replica._local_transaction() as cur:
                for _, duckdb_sql in definitions:
                    cur.execute(duckdb_sql)
                for name, _ in definitions:
                    rows = replica._pg.execute(f'select * from "{name}"').fetchall()
                    if rows:
                        _insert_rows(cur, name, _columns(cur, name), rows)
                sequences = replica._pg.execute("select name, next_value from cjb_sequences")
                for name, next_value in sequences.fetchall():
                    cur.execute(f"create sequence {name} start with {int(next_value)}")
        except BaseException:
            replica.close()
            raise
        return replica

    def replace_all(self) -> None:
        """Make PostgreSQL's tables exactly the local copy's (tables, rows, definitions and
        sequences), in the transaction that holds the write lock; then commit."""
        pg = self._pg
        for (name,) in pg.execute("select name from cjb_tables").fetchall():
            pg.execute(f'drop table if exists "{name}"')
        pg.execute("delete from cjb_tables")
        pg.execute("delete from cjb_sequences")
        for position, (name, duckdb_sql) in enumerate(self._replicated_tables()):
            pg.execute(self._postgres_table(name))
            pg.execute(
                "insert into cjb_tables (name, position, duckdb_sql) values (%s, %s, %s)",
                [name, position, duckdb_sql],
            )
            self._copy_to_postgres(name, self.local.execute(f'select * from "{name}"'))
        self._publish_sequences(self.local)
        pg.execute("update cjb_replication set version = version + 1")
        pg.commit()

    @classmethod
    def _empty(cls, dsn: str) -> Replica:
        folder = Path(tempfile.mkdtemp(prefix="cjb-replica-"))
        # The file's name is the database's name, by which store.begun finds the replica.
        local = duckdb.connect(str(folder / f"replica_{secrets.token_hex(8)}.duckdb"))
        local.execute("set TimeZone = 'Europe/London'")
        return cls(dsn, local, folder)

    def _connect(self) -> None:
        self._pg = _pg_connect(self.dsn)
        self._pg.execute("set time zone 'Europe/London'")
        self._pg.commit()

    def _has_tracker(self) -> bool:
        found = self._pg.execute("select to_regclass('cjb_tables') is not null").fetchall()
        self._pg.commit()
        return bool(found[0][0])

    def close(self) -> None:
        _REPLICAS.pop(getattr(self, "name", ""), None)
        with contextlib.suppress(Exception):
            self.local.close()
        if self._pg is not None:
            with contextlib.suppress(Exception):
                self._pg.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- The schema in both places ------------------------------------------------------

    def _publish_schema(self) -> None:
        """Create in PostgreSQL every replicated table of the local schema, copy their rows
        and record each table's DuckDB definition (a later release upgrades from it)."""
        pg = self._pg
        for statement in _META.split(";"):
            pg.execute(statement)
        for position, (name, duckdb_sql) in enumerate(self._replicated_tables()):
            pg.execute(f'drop table if exists "{name}"')
            pg.execute(self._postgres_table(name))
            pg.execute(
                "insert into cjb_tables (name, position, duckdb_sql) values (%s, %s, %s)",
                [name, position, duckdb_sql],
            )
            self._copy_to_postgres(name, self.local.execute(f'select * from "{name}"'))
        self._publish_sequences(self.local)
        pg.execute("insert into cjb_replication (version) values (1)")
        pg.commit()
        self.version = 1

    def _replicated_tables(self) -> list[tuple[str, str]]:
        return [
            (name, sql)
            for name, sql in self.local.execute(
                "select table_name, sql from duckdb_tables() where schema_name = 'main'"
                " and not temporary order by table_name"
            ).fetchall()
            if name not in DERIVED
        ]

    def _postgres_table(self, name: str) -> str:
        columns = self.local.execute(
            "select column_name, data_type, is_nullable from information_schema.columns"
            " where table_name = ? and table_schema = 'main' order by ordinal_position",
            [name],
        ).fetchall()
        keys = self.local.execute(
            "select constraint_column_names from duckdb_constraints() where table_name = ?"
            " and constraint_type = 'PRIMARY KEY'",
            [name],
        ).fetchall()
        parts = []
        for column, data_type, nullable in columns:
            if data_type not in _PG_TYPES:
                raise TrackerError(f"{name}.{column}: no PostgreSQL type for {data_type}")
            parts.append(
                f'"{column}" {_PG_TYPES[data_type]}' + (" not null" if nullable == "NO" else "")
            )
        if keys:
            parts.append("primary key (" + ", ".join(f'"{c}"' for c in keys[0][0]) + ")")
        return f'create table "{name}" ({", ".join(parts)})'

    def _build_local_schema(self) -> None:
        """The local copy's tables: this code's schema when PostgreSQL holds the same
        version (an older one is upgraded by cjb-tracker migrate, which builds the copy from
        the definitions PostgreSQL keeps)."""
        from cjb_tracker import store

        found = self._pg.execute("select max(version) from schema_version").fetchall()
        self._pg.commit()
        version = found[0][0]
        if version != store.SCHEMA_VERSION:
            store.check_version_number(version, redact(self.dsn))
        with self._local_transaction() as cur:
            cur.execute(store.load_query("schema"))
            for table in self._table_names():
                cur.execute(f'delete from "{table}"')  # the schema's own rows come from PG

    @contextlib.contextmanager
    def _local_transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction on the local copy that is not itself copied to PostgreSQL."""
        cur = self.local.cursor()
        try:
            cur.execute("set TimeZone = 'Europe/London'")
            cur.execute("begin transaction")
            try:
                yield cur
            except BaseException:
                cur.execute("rollback")
                raise
            cur.execute("commit")
        finally:
            cur.close()

    def _table_names(self) -> list[str]:
        rows = self._pg.execute("select name from cjb_tables order by position").fetchall()
        return [name for (name,) in rows]

    # --- Reading what others wrote --------------------------------------------------------

    def catch_up(self) -> bool:
        """Copy what other replicas committed since the last look; True when anything that
        a page shows from its cache was (not when only SERVER_STATE changed)."""
        with self._lock:
            changed = self._catch_up_now()
            unreported, self._unreported = self._unreported, False
            return changed or unreported

    def _catch_up_now(self, full: bool = False) -> bool:
        pg = self._pg
        if not full:
            version = pg.execute("select version from cjb_replication").fetchall()[0][0]
            pg.commit()
            if version == self.version:
                return False
        import psycopg

        pg.rollback()
        pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ  # one snapshot
        try:
            version = pg.execute("select version from cjb_replication").fetchall()[0][0]
            changed = self._copy_new_rows(full)
            sequences = dict(pg.execute("select name, next_value from cjb_sequences").fetchall())
        finally:
            pg.rollback()  # read only
            pg.isolation_level = None
        from cjb_tracker import store

        with self._local_transaction() as cur:  # a copy of what PostgreSQL holds
            self._load(cur, changed)
            self._restart_sequences(cur, sequences)
            for batch_id in changed.batches:
                store.refresh_derived(cur, batch_id)
            if full:
                store.refresh_derived(cur, None)
        self.version = version
        return full or bool(set(changed.rows) - SERVER_STATE)

    @dataclass
    class _Changes:
        rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
        replace: set[str] = field(default_factory=set)
        batches: list[int] = field(default_factory=list)

    def _copy_new_rows(self, full: bool) -> Replica._Changes:
        changes = Replica._Changes()
        for table in self._table_names():
            grows = GROWS_BY.get(table)
            if grows and not full:
                since = self.local.execute(f'select max("{grows}") from "{table}"').fetchall()
                rows = self._pg.execute(
                    f'select * from "{table}"'
                    + ("" if since[0][0] is None else f' where "{grows}" > %s'),
                    [] if since[0][0] is None else [since[0][0]],
                ).fetchall()
                if rows:
                    changes.rows[table] = rows
                continue
            rows = self._pg.execute(f'select * from "{table}"').fetchall()
            held = [] if full else self.local.execute(f'select * from "{table}"').fetchall()
            if full or _as_set(rows) != _as_set(held):
                changes.rows[table] = rows
                changes.replace.add(table)
                if table == "import_batches" and not full:
                    changes.batches = sorted({r[0] for r in _as_set(rows) - _as_set(held)})
        return changes

    def _load(self, cur: duckdb.DuckDBPyConnection, changes: Replica._Changes) -> None:
        for table, rows in changes.rows.items():
            if table in changes.replace:
                cur.execute(f'delete from "{table}"')
            if not rows:
                continue
            _insert_rows(cur, table, _columns(cur, table), rows)

    # --- Writing --------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write: under PostgreSQL's lock, on an up-to-date copy, copied to PostgreSQL
        in the same PostgreSQL transaction; both committed, or neither."""
        import psycopg

        with self._lock:
            pg = self._pg
            try:
                pg.execute(f"set local lock_timeout = '{LOCK_WAIT}'")
                pg.execute("select pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            except psycopg.Error as error:
                self._reset_pg()
                raise TrackerError(TRY_AGAIN) from error
            try:
                self._catch_up_under_lock()
                marks = self._marks()
            except BaseException:
                self._reset_pg()
                raise
            cur.execute("set TimeZone = 'Europe/London'")
            cur.execute("begin transaction")
            try:
                yield cur
                added = self._push(cur, marks)
                if added:
                    pg.execute("update cjb_replication set version = version + 1")
                    pg.execute("select version from cjb_replication")
                pg.commit()
            except psycopg.Error as error:
                cur.execute("rollback")
                self._reset_pg()
                log.warning("write refused by PostgreSQL: %s", error)
                raise TrackerError(TRY_AGAIN) from error
            except BaseException:
                cur.execute("rollback")
                self._reset_pg()
                raise
            try:
                cur.execute("commit")
            except duckdb.Error:
                # PostgreSQL has it: the next catch_up copies it here.
                log.exception("local commit failed after PostgreSQL committed")
                cur.execute("rollback")
                return
            if added:
                self.version += 1

    @contextlib.contextmanager
    def exclusive(self, key: int, wait_seconds: float) -> Iterator[bool]:
        """Work that one replica at a time may do (sending reminders: two replicas sending
        at once could both send a message before either recorded it). Holds PostgreSQL's
        session advisory lock `key` on a connection of its own for as long as the work
        runs, then brings this copy up to date with what the last holder wrote. Yields
        False, holding nothing, when another replica still holds it after wait_seconds."""
        import psycopg

        pg = _pg_connect(self.dsn, autocommit=True)
        try:
            try:
                pg.execute(f"set lock_timeout = '{int(wait_seconds * 1000)}ms'")
                pg.execute("select pg_advisory_lock(%s)", [key])
            except psycopg.errors.LockNotAvailable:
                yield False
                return
            self.catch_up_silently()
            yield True
        finally:
            with contextlib.suppress(Exception):
                pg.close()  # (ending the session releases its advisory lock)

    def catch_up_silently(self) -> None:
        """catch_up, keeping the news for the pages' next catch_up (which clears caches)."""
        with self._lock:
            self._unreported |= self._catch_up_now()

    def _reset_pg(self) -> None:
        with contextlib.suppress(Exception):
            self._pg.rollback()
        if self._pg.closed or self._pg.broken:
            self._connect()

    def _catch_up_under_lock(self) -> None:
        """Inside the write's PostgreSQL transaction, holding the lock: nothing can commit
        meanwhile, so the copy read here is exactly PostgreSQL's."""
        version = self._pg.execute("select version from cjb_replication").fetchall()[0][0]
        if version == self.version:
            return
        changed = self._copy_new_rows(False)
        sequences = dict(self._pg.execute("select name, next_value from cjb_sequences").fetchall())
        from cjb_tracker import store

        with self._local_transaction() as cur:
            self._load(cur, changed)
            self._restart_sequences(cur, sequences)
            for batch_id in changed.batches:
                store.refresh_derived(cur, batch_id)
        self.version = version
        self._unreported |= bool(set(changed.rows) - SERVER_STATE)

    def _marks(self) -> _Marks:
        marks = _Marks()
        for table in self._table_names():
            grows = GROWS_BY.get(table)
            if grows:
                marks.grown[table] = self.local.execute(
                    f'select max("{grows}") from "{table}"'
                ).fetchall()[0][0]
            else:
                marks.whole[table] = self.local.execute(f'select * from "{table}"').fetchall()
        marks.sequences = _sequences(self.local)
        return marks

    def _push(self, cur: duckdb.DuckDBPyConnection, marks: _Marks) -> bool:
        """Copy what this transaction added or changed to PostgreSQL (in its transaction);
        True when there was anything."""
        added = False
        for table, since in marks.grown.items():
            grows = GROWS_BY[table]
            result = cur.execute(
                f'select * from "{table}" where "{grows}" > ? or ? is null', [since, since]
            )
            added |= self._copy_to_postgres(table, result)
        for table, before in marks.whole.items():
            now = cur.execute(f'select * from "{table}"').fetchall()
            if _as_set(now) != _as_set(before):
                self._pg.execute(f'delete from "{table}"')
                self._copy_rows(table, now)
                added = True
        sequences = _sequences(cur)
        if sequences != marks.sequences:
            self._publish_sequences(cur)
            added = True
        return added

    def _publish_sequences(self, con: duckdb.DuckDBPyConnection) -> None:
        for name, next_value in _sequences(con).items():
            self._pg.execute(
                "insert into cjb_sequences (name, next_value) values (%s, %s)"
                " on conflict (name) do update set next_value ="
                " greatest(cjb_sequences.next_value, excluded.next_value)",
                [name, next_value],
            )

    def _restart_sequences(self, cur: duckdb.DuckDBPyConnection, wanted: dict[str, int]) -> None:
        held = _sequences(cur)
        for name, next_value in wanted.items():
            if held.get(name, 0) < next_value:
                cur.execute(f"create or replace sequence {name} start with {int(next_value)}")

    def _copy_to_postgres(self, table: str, result: duckdb.DuckDBPyConnection) -> bool:
        copied = False
        while rows := result.fetchmany(50_000):
            self._copy_rows(table, rows)
            copied = True
        return copied

    def _copy_rows(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        with self._pg.cursor().copy(f'copy "{table}" from stdin') as copy:
            for row in rows:
                copy.write_row(row)


def _sequences(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Each sequence's next value."""
    return {
        name: int(last + 1 if last is not None else start)
        for name, start, last in con.execute(
            "select sequence_name, start_value, last_value from duckdb_sequences()"
        ).fetchall()
    }


def _columns(cur: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        c
        for (c,) in cur.execute(
            "select column_name from information_schema.columns where table_name = ?"
            " and table_schema = 'main' order by ordinal_position",
            [table],
        ).fetchall()
    ]


def _as_set(rows: list[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    return {tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rows}


def _insert_rows(
    cur: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """Rows read from PostgreSQL into the local table (through a pandas frame: a million
    rows in seconds, where one insert per row would take minutes)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=columns)
    view = f"_incoming_{table}"
    cur.register(view, frame)
    try:
        listed = ", ".join(f'"{c}"' for c in columns)
        cur.execute(f'insert into "{table}" ({listed}) select {listed} from "{view}"')
    finally:
        cur.unregister(view)


def _pg_connect(dsn: str, autocommit: bool = False) -> Any:
    """A psycopg connection; one that cannot be made is a plain sentence (no password)."""
    import psycopg

    try:
        return psycopg.connect(dsn, connect_timeout=10, autocommit=autocommit)
    except psycopg.Error as error:
        raise TrackerError(
            f"PostgreSQL at {redact(dsn)} could not be reached: "
            f"{str(error).strip().splitlines()[0]}"
        ) from error


def redact(dsn: str) -> str:
    """A connection string without its password, fit for a message or a log."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", dsn)


# The replicas of this process, by the name of their local database (store.begun looks
# a cursor's database up here to know that its writes go to PostgreSQL too).
_REPLICAS: dict[str, Replica] = {}


def of(cur: duckdb.DuckDBPyConnection) -> Replica | None:
    """The replica a cursor's database belongs to, if any."""
    if not _REPLICAS:
        return None
    # A cursor of its own: the one given may be the process's shared connection, which
    # DuckDB refuses to run a second statement on while another thread uses it.
    own = cur.cursor()
    try:
        name = own.execute("select current_database()").fetchall()[0][0]
    finally:
        own.close()
    return _REPLICAS.get(name)
