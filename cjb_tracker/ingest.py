"""Import an uploaded file: stage it, check it with SQL, and write it whole or not at all.

Every import, rejected or not, is recorded in import_batches. The same file (by SHA-256)
already committed adds nothing. The work on the data is done in DuckDB: the file is
staged as text, the checks are queries/check_*.sql and problems_*.sql, the write is
queries/insert_*.sql.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cjb_tracker import store, vocab
from cjb_tracker.errors import NotFound, TrackerError
from cjb_tracker.formats import FORMATS, KINDS
from cjb_tracker.problems import Problem, sort_key
from cjb_tracker.staging import Rejected, Staged, size_problem, stage_file

# One import or undo writes at a time in this process (the server is the single writer):
# the duplicate check, the new update ids (max + row number) and the checkpoint are only
# right when no other write is half done. Staging and dry runs do not wait for it.
_WRITING = threading.Lock()
WRITE_WAIT_SECONDS = 120.0
SAVED_AT_THE_SAME_MOMENT = (
    "Another upload was being saved at the same moment, so nothing from this file was "
    "written. Try again."
)
UNDONE_AT_THE_SAME_MOMENT = (
    "Another change to the uploads was being saved at the same moment, so the batch was "
    "not undone. Try again."
)


@dataclass
class ImportResult:
    """What became of one file: the contract of `cjb-tracker import --json`."""

    status: str  # committed | rejected | duplicate | valid
    batch_id: int | None = None
    rows: int = 0
    inserted: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    preview: pd.DataFrame | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "batch_id": self.batch_id,
            "rows": self.rows,
            "inserted": self.inserted,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }


def import_path(
    con: duckdb.DuckDBPyConnection, kind: str, path: Path, **options: Any
) -> ImportResult:
    """Import a file on disk (read by DuckDB straight from the path where it can be).
    A file over the size limit is refused from its size, never read into memory."""
    try:
        too_big = size_problem(path.stat().st_size)
        if too_big is not None:
            return _refuse_unread(con, kind, path, too_big, **options)
        data = path.read_bytes()
    except OSError as error:
        raise TrackerError(f"{path} cannot be read: {error.strerror}.") from error
    return import_file(con, kind, path.name, data, source=path, **options)


def _require_kind(kind: str) -> None:
    if kind not in KINDS:
        raise TrackerError(f"Unknown kind of file '{kind}': use one of {', '.join(KINDS)}.")


def _refuse_unread(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    path: Path,
    problem: Problem,
    *,
    imported_by: str = "unknown",
    dry_run: bool = False,
    **_: Any,
) -> ImportResult:
    """Reject a file without reading it whole; the rejection is recorded (with the file's
    SHA-256, hashed in chunks) unless this is a dry run."""
    _require_kind(kind)
    result = ImportResult("rejected", errors=[problem])
    if not dry_run:
        with path.open("rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        with _one_writer():
            result.batch_id = _record_batch(
                con, kind, path.name, sha256, imported_by, "rejected", errors=1
            )
    return result


def import_file(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    file_name: str,
    data: bytes,
    *,
    imported_by: str = "unknown",
    dry_run: bool = False,
    illustrative: bool = False,
    source: Path | None = None,
) -> ImportResult:
    """Check the file; unless it is a dry run or has errors, write it as one batch."""
    _require_kind(kind)
    sha256 = hashlib.sha256(data).hexdigest()
    if dry_run:
        return _check_and_write(
            con, kind, file_name, data, sha256, imported_by, True, illustrative, source
        )
    with _one_writer():
        if (earlier := _committed_batch_with(con, kind, sha256)) is not None:
            batch = _record_batch(con, kind, file_name, sha256, imported_by, "duplicate")
            return ImportResult(
                "duplicate",
                batch_id=batch,
                warnings=[
                    Problem(
                        None,
                        None,
                        "duplicate-row",
                        f"This file was already imported as batch {earlier}; nothing was added.",
                    )
                ],
            )
        result = _check_and_write(
            con, kind, file_name, data, sha256, imported_by, False, illustrative, source
        )
        if result.status == "rejected":
            result.batch_id = _record_batch(
                con,
                kind,
                file_name,
                sha256,
                imported_by,
                "rejected",
                result.rows,
                0,
                len(result.errors),
                len(result.warnings),
            )
    return result


@contextmanager
def _one_writer(conflict: str = SAVED_AT_THE_SAME_MOMENT) -> Iterator[None]:
    """Wait for any other import or undo in this process to finish; a write that DuckDB
    still finds in conflict (another connection wrote the same rows) is a "try again"."""
    if not _WRITING.acquire(timeout=WRITE_WAIT_SECONDS):
        raise TrackerError("Another upload is still being saved. Wait a minute, then try again.")
    try:
        yield
    except duckdb.TransactionException as error:
        if "conflict" not in str(error).lower():
            raise
        raise TrackerError(conflict) from error
    finally:
        _WRITING.release()


def _checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the write-ahead log into the file. The commit is already durable, so another
    write transaction in progress (DuckDB then refuses) only leaves it for later."""
    cur = con.cursor()
    try:
        cur.execute("checkpoint")
    except duckdb.TransactionException:
        pass
    finally:
        cur.close()


def _check_and_write(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    file_name: str,
    data: bytes,
    sha256: str,
    imported_by: str,
    dry_run: bool,
    illustrative: bool,
    source: Path | None,
) -> ImportResult:
    cur = con.cursor()
    try:
        # Staging touches only this cursor's temp tables, so it runs before the write
        # transaction (inside one, DuckDB numbers new rows from 2**55, not from 0).
        try:
            staged = stage_file(cur, FORMATS[kind], file_name, data, source)
        except Rejected as rejected:
            return ImportResult("rejected", errors=rejected.problems)
        with store.begun(cur):
            result = _check_in(cur, kind, staged, imported_by, dry_run)
            batch_id = int(store.scalar(cur, "select nextval('batch_seq')"))
            before = _count_records(cur, kind)
            store.run_script(cur, f"insert_{kind}", batch_id=batch_id)
            inserted = _count_records(cur, kind) - before
            _insert_batch(
                cur,
                batch_id,
                kind,
                file_name,
                sha256,
                imported_by,
                "committed",
                result.rows,
                inserted,
                0,
                len(result.warnings),
                illustrative,
            )
    except _RolledBack as rolled_back:
        return rolled_back.result
    finally:
        cur.close()
    _checkpoint(con)
    result.status, result.batch_id, result.inserted = "committed", batch_id, inserted
    return result


class _RolledBack(Exception):
    """Leaves the import's transaction with nothing written, carrying the outcome."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__(result.status)
        self.result = result


def _check_in(
    cur: duckdb.DuckDBPyConnection, kind: str, staged: Staged, imported_by: str, dry_run: bool
) -> ImportResult:
    """Check the staged file inside the import's transaction; raise _RolledBack when it
    must not be written (problems found, or a dry run)."""
    errors, warnings = _check(cur, kind, staged, imported_by)
    preview = cur.execute("select * from checked order by row_number limit 500").df()
    result = ImportResult(
        "valid", rows=staged.rows, errors=errors, warnings=warnings, preview=preview
    )
    if errors:
        result.status = "rejected"
    if errors or dry_run:
        raise _RolledBack(result)
    return result


def _check(
    cur: duckdb.DuckDBPyConnection, kind: str, staged: Staged, imported_by: str
) -> tuple[list[Problem], list[Problem]]:
    _register_vocabularies(cur)
    store.run_script(cur, f"check_{kind}", imported_by=imported_by)
    found = cur.execute(store.load_query(f"problems_{kind}"), {"missing": staged.missing})
    errors, warnings = list(staged.errors), list(staged.warnings)
    for row, column, code, message, is_warning in found.fetchall():
        (warnings if is_warning else errors).append(Problem(row, column, code, message))
    return sorted(errors, key=sort_key), sorted(warnings, key=sort_key)


def _register_vocabularies(cur: duckdb.DuckDBPyConnection) -> None:
    for name, pairs in (
        ("status_spellings", vocab.status_spellings()),
        ("rag_spellings", vocab.rag_spellings()),
    ):
        frame = pd.DataFrame(pairs, columns=["key", "word"], dtype="string")
        cur.register(f"{name}_frame", frame)
        cur.execute(f"create or replace temp table {name} as select * from {name}_frame")
        cur.unregister(f"{name}_frame")


_COUNTED = {
    "updates": "select count(*) from updates",
    "recommendations": "select count(*) from recommendation_records",
    "meetings": "select count(*) from meeting_records",
}


def _count_records(cur: duckdb.DuckDBPyConnection, kind: str) -> int:
    return int(store.scalar(cur, _COUNTED[kind]))


def _committed_batch_with(con: duckdb.DuckDBPyConnection, kind: str, sha256: str) -> int | None:
    cur = con.cursor()  # the connection is shared between threads; a cursor is not
    try:
        found = store.scalar(
            cur,
            "select min(batch_id) from import_batches where kind = ? and sha256 = ? "
            "and status = 'committed'",
            [kind, sha256],
        )
    finally:
        cur.close()
    return None if found is None else int(found)


def _record_batch(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    file_name: str,
    sha256: str,
    imported_by: str,
    status: str,
    rows: int = 0,
    inserted: int = 0,
    errors: int = 0,
    warnings: int = 0,
) -> int:
    with store.transaction(con) as cur:
        batch_id = int(store.scalar(cur, "select nextval('batch_seq')"))
        _insert_batch(
            cur,
            batch_id,
            kind,
            file_name,
            sha256,
            imported_by,
            status,
            rows,
            inserted,
            errors,
            warnings,
            False,
        )
    return batch_id


def _insert_batch(
    cur: duckdb.DuckDBPyConnection,
    batch_id: int,
    kind: str,
    file_name: str,
    sha256: str,
    imported_by: str,
    status: str,
    rows: int,
    inserted: int,
    errors: int,
    warnings: int,
    illustrative: bool,
) -> None:
    cur.execute(
        "insert into import_batches (batch_id, kind, file_name, sha256, imported_by, row_count,"
        " inserted, status, error_count, warning_count, illustrative)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            batch_id,
            kind,
            file_name,
            sha256,
            imported_by,
            rows,
            inserted,
            status,
            errors,
            warnings,
            illustrative,
        ],
    )


def undo_batch(con: duckdb.DuckDBPyConnection, batch_id: int, undone_by: str) -> None:
    """Mark a committed batch reverted; every view then ignores what it wrote."""
    with _one_writer(UNDONE_AT_THE_SAME_MOMENT), store.transaction(con) as cur:
        status = store.scalar(
            cur, "select status from import_batches where batch_id = ?", [batch_id]
        )
        if status is None:
            raise NotFound(f"There is no import batch {batch_id}.")
        if status != "committed":
            raise TrackerError(
                f"Batch {batch_id} is {status}; only a committed batch can be undone."
            )
        blockers = cur.execute(store.load_query("undo_blockers"), {"batch_id": batch_id}).fetchall()
        if blockers:
            later = ", ".join(str(b) for (b,) in blockers)
            raise TrackerError(
                f"Batch {batch_id} added meetings or recommendations that later batches use "
                f"({later}). Undo those first."
            )
        cur.execute(
            "update import_batches set status = 'reverted', reverted_by = ?, reverted_at = now()"
            " where batch_id = ?",
            [undone_by, batch_id],
        )
    _checkpoint(con)
