"""One write path for every batch: an import (committed, rejected or a duplicate), an undo,
the Board's decision on a closure, and the seed.

A batch is written only by a writer holding the write lock (`writing`), because the lock
is what makes the ids a batch hands out right: its batch id and the ids of the updates it
adds. Update ids follow on from the highest held (updates has no sequence and no index to
keep them unique: see queries/schema.sql), so two batches written at once would each take
the same next id. `add` and `record` are the one statement that adds a batch to
import_batches, `revert` the one that undoes it, and `new_batch_id` and
`first_update_id` the one source of ids; each refuses to run without the lock. A write that
DuckDB still finds in conflict with another connection's becomes a TrackerError saying what
was not done and to try again.

The lock is the process's own: with the DuckDB file, the Streamlit server (or the one
command-line run) is the single writer, and WriteLock keeps its writers in turn, the
duplicate check before an import's write with them. With a tracker kept in PostgreSQL for
several replicas (cjb_tracker.replica), store.begun also takes PostgreSQL's advisory lock
for each write transaction and brings the copy up to date first, so the ids a batch takes
in its transaction are unique across replicas too. A lock held by the database for the
whole of `writing` (the duplicate check included) would go in WriteLock: acquire and
release take the connection for that.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

from cjb_tracker import store
from cjb_tracker.errors import TrackerError

WRITE_WAIT_SECONDS = 120.0
STILL_SAVING = "Another upload is still being saved. Wait a minute, then try again."


class WriteLock:
    """One writer of batches at a time, waited for up to a limit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: int | None = None

    def acquire(self, con: duckdb.DuckDBPyConnection, timeout: float) -> bool:
        """Wait up to `timeout` seconds to become the writer; False when still waiting."""
        if not self._lock.acquire(timeout=timeout):
            return False
        self._holder = threading.get_ident()
        return True

    def release(self, con: duckdb.DuckDBPyConnection) -> None:
        self._holder = None
        self._lock.release()

    def held(self) -> bool:
        """Whether the code running now is the writer."""
        return self._holder == threading.get_ident()


_LOCK = WriteLock()


@contextmanager
def writing(con: duckdb.DuckDBPyConnection, *, conflict: str) -> Iterator[None]:
    """Be the writer of batches while the block runs: wait for any other writer to finish;
    a write DuckDB still finds in conflict (another connection wrote the same rows) is a
    TrackerError with the sentence `conflict` (what was not done, and to try again)."""
    if not _LOCK.acquire(con, WRITE_WAIT_SECONDS):
        raise TrackerError(STILL_SAVING)
    try:
        yield
    except duckdb.TransactionException as error:
        if "conflict" not in str(error).lower():
            raise
        raise TrackerError(conflict) from error
    finally:
        _LOCK.release(con)


@dataclass(frozen=True)
class Record:
    """A batch as import_batches keeps it: what was imported (or decided), by whom, and what
    became of it."""

    kind: str  # updates | recommendations | meetings | decision | seed
    file_name: str
    imported_by: str
    status: str  # committed | rejected | duplicate
    sha256: str | None = None
    rows: int = 0
    inserted: int = 0
    errors: int = 0
    warnings: int = 0
    illustrative: bool = False


def new_batch_id(cur: duckdb.DuckDBPyConnection) -> int:
    """The id of a new batch (from batch_seq)."""
    _require_lock()
    return int(cur.execute(store.load_query("next_batch_id")).fetchall()[0][0])


def first_update_id(cur: duckdb.DuckDBPyConnection) -> int:
    """The id of the first update a batch adds (the next after the highest held, read in
    the batch's transaction); its later updates take the ids after it."""
    _require_lock()
    return int(cur.execute(store.load_query("next_update_id")).fetchall()[0][0])


def record(cur: duckdb.DuckDBPyConnection, batch_id: int, batch: Record) -> None:
    """Add batch `batch_id` to import_batches, in the caller's transaction."""
    _require_lock()
    store.run_script(
        cur,
        "insert_import_batch",
        batch_id=batch_id,
        kind=batch.kind,
        file_name=batch.file_name,
        sha256=batch.sha256,
        imported_by=batch.imported_by,
        row_count=batch.rows,
        inserted=batch.inserted,
        status=batch.status,
        error_count=batch.errors,
        warning_count=batch.warnings,
        illustrative=batch.illustrative,
    )


def add(cur: duckdb.DuckDBPyConnection, batch: Record) -> int:
    """A new batch id, and the batch recorded under it; returns the id."""
    batch_id = new_batch_id(cur)
    record(cur, batch_id, batch)
    return batch_id


def revert(cur: duckdb.DuckDBPyConnection, batch_id: int, reverted_by: str) -> None:
    """Mark batch `batch_id` reverted (who and when), in the caller's transaction."""
    _require_lock()
    store.run_script(cur, "revert_batch", batch_id=batch_id, reverted_by=reverted_by)


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the write-ahead log into the file after a batch. The commit is already durable,
    so another write transaction in progress (DuckDB then refuses) only leaves it for later."""
    cur = con.cursor()
    try:
        cur.execute("checkpoint")
    except duckdb.TransactionException:
        pass
    finally:
        cur.close()


def _require_lock() -> None:
    if not _LOCK.held():
        raise RuntimeError("A batch is written only by its writer: use batches.writing.")
