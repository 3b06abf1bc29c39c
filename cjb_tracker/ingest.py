"""Import an uploaded file: stage it, check it with SQL, and write it whole or not at all.

Every import, rejected or not, is recorded in import_batches and in the audit trail. The
same file (by SHA-256) already committed adds nothing. The acting user's role decides what
may be imported: a lead only updates, only for the recommendations they lead, and never a
closure (they propose it; the Board decides). The work on the data is done in DuckDB: the file
is staged as text, the checks are queries/check_*.sql and problems_*.sql, the write is
queries/insert_*.sql, by the one writer of batches (cjb_tracker/batches.py).

(About 475 lines, kept as one module: an import's steps, who may, stage, hash, check, write
once or record the rejection, and its undo, read in the order they run. Reading the file
is staging's, checking it is SQL in queries/, and the lock and ids are batches'.)
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cjb_tracker import audit, auth, batches, measures, store, vocab
from cjb_tracker.auth import User
from cjb_tracker.errors import NotFound, TrackerError
from cjb_tracker.formats import FORMATS, KINDS
from cjb_tracker.problems import Problem, sort_key
from cjb_tracker.staging import Rejected, Staged, size_problem, stage_file

# An import or undo is written by the one writer of batches (batches.writing): the duplicate
# check, the new update ids and the checkpoint are only right when no other batch is half
# written. Staging and dry runs do not wait for it.
SAVED_AT_THE_SAME_MOMENT = (
    "Another upload was being saved at the same moment, so nothing from this file was "
    "written. Try again."
)
UNDONE_AT_THE_SAME_MOMENT = (
    "Another change to the uploads was being saved at the same moment, so the batch was "
    "not undone. Try again."
)


@dataclass(frozen=True)
class _KindQueries:
    """The queries/*.sql files that check and write one kind of file."""

    check: str  # reads the staged file as `checked` (a temp table; for updates a view)
    problems: str  # each problem found in `checked`
    insert: str  # appends `checked` as a batch
    count: str  # how many records of the kind there are


_QUERIES = {
    "updates": _KindQueries("check_updates", "problems_updates", "insert_updates", "count_updates"),
    "recommendations": _KindQueries(
        "check_recommendations",
        "problems_recommendations",
        "insert_recommendations",
        "count_recommendation_records",
    ),
    "meetings": _KindQueries(
        "check_meetings", "problems_meetings", "insert_meetings", "count_meeting_records"
    ),
    "measures": _KindQueries(
        "check_measures", "problems_measures", "insert_measures", "count_measure_records"
    ),
    "links": _KindQueries("check_links", "problems_links", "insert_links", "count_link_records"),
}


@dataclass
class ImportResult:
    """What became of one file: the contract of `cjb-tracker import --json`."""

    status: str  # committed | rejected | duplicate | valid
    batch_id: int | None = None
    rows: int = 0
    inserted: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    preview: pd.DataFrame | None = None  # the first checked rows: a dry run or a rejection

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
    imported_by: User | str = "unknown",
    dry_run: bool = False,
    **_: Any,
) -> ImportResult:
    """Reject a file without reading it whole; the rejection is recorded (with the file's
    SHA-256, hashed in chunks) unless this is a dry run."""
    _require_kind(kind)
    actor = _allowed(con, kind, path.name, imported_by, dry_run)
    result = ImportResult("rejected", errors=[problem])
    if not dry_run:
        with path.open("rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        with batches.writing(con, conflict=SAVED_AT_THE_SAME_MOMENT):
            result.batch_id = _record_batch(
                con, kind, path.name, sha256, actor.username, "rejected", errors=1
            )
    return result


def _allowed(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    file_name: str,
    imported_by: User | str,
    dry_run: bool,
) -> User:
    """The acting user, when their role may import this kind of file; a refusal of a real
    import is audited."""
    actor = auth.acting(imported_by)
    try:
        auth.require(actor, f"import-{kind}")
    except TrackerError as refused:
        if not dry_run:
            audit.record_alone(con, actor.username, "import", file_name, "refused", str(refused))
        raise
    return actor


def import_file(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    file_name: str,
    data: bytes,
    *,
    imported_by: User | str = "unknown",
    dry_run: bool = False,
    illustrative: bool = False,
    source: Path | None = None,
    only_held: bool = False,
) -> ImportResult:
    """Check the file; unless it is a dry run or has errors, write it as one batch.
    `imported_by` is the signed-in user, or a name given on the command line (which acts
    with chair rights: see auth.operator). With `only_held`, a measures file's rows for a
    measure or area the tracker neither holds nor the file defines are skipped with a
    warning, not refused (a published file covers every area)."""
    _require_kind(kind)
    actor = _allowed(con, kind, file_name, imported_by, dry_run)
    cur = con.cursor()
    try:
        # A real import's file is hashed while it is staged (hashlib lets go of the
        # interpreter while DuckDB reads). Staging touches only this cursor's temp tables, so
        # it needs neither the hash nor the write lock, and it runs before the write
        # transaction (inside one, DuckDB numbers new rows from 2**55, not from 0).
        hashing = None if dry_run else _HASHER.submit(hashlib.sha256, data)
        try:
            staged: Staged | Rejected = stage_file(cur, FORMATS[kind], file_name, data, source)
        except Rejected as rejected:
            staged = rejected
        how = _How(kind, actor, dry_run, illustrative, only_held)
        if hashing is None:
            return _check_and_write(cur, how, staged, file_name, "")
        sha256 = hashing.result().hexdigest()
        with batches.writing(con, conflict=SAVED_AT_THE_SAME_MOMENT):
            return _write_once(con, cur, how, staged, file_name, sha256)
    finally:
        cur.close()


@dataclass(frozen=True)
class _How:
    """How one file is imported: its kind, by whom, and the options given."""

    kind: str
    actor: User
    dry_run: bool
    illustrative: bool
    only_held: bool


def _write_once(
    con: duckdb.DuckDBPyConnection,
    cur: duckdb.DuckDBPyConnection,
    how: _How,
    staged: Staged | Rejected,
    file_name: str,
    sha256: str,
) -> ImportResult:
    """Under the write lock: nothing for a file already committed, else the checked batch
    written (or its rejection recorded)."""
    kind, actor = how.kind, how.actor
    if (earlier := _committed_batch_with(con, kind, sha256)) is not None:
        batch = _record_batch(con, kind, file_name, sha256, actor.username, "duplicate")
        message = f"This file was already imported as batch {earlier}; nothing was added."
        return ImportResult(
            "duplicate",
            batch_id=batch,
            warnings=[Problem(None, None, "duplicate-row", message)],
        )
    result = _check_and_write(cur, how, staged, file_name, sha256)
    if result.status == "rejected":
        result.batch_id = _record_batch(
            con,
            kind,
            file_name,
            sha256,
            actor.username,
            "rejected",
            result.rows,
            0,
            len(result.errors),
            len(result.warnings),
        )
    elif result.status == "committed":
        batches.checkpoint(con)
    return result


_HASHER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="cjb-sha256")


def _check_and_write(
    cur: duckdb.DuckDBPyConnection,
    how: _How,
    staged: Staged | Rejected,
    file_name: str,
    sha256: str,
) -> ImportResult:
    """Check the staged file and, unless it is a dry run or has errors, write it as one
    batch in one transaction (the caller holds the write lock for a real import)."""
    if isinstance(staged, Rejected):
        return ImportResult("rejected", errors=staged.problems)
    kind, actor = how.kind, how.actor
    try:
        with store.begun(cur):
            result = _check_in(cur, how, staged)
            batch_id = batches.new_batch_id(cur)
            before = _count_records(cur, kind)
            _insert_records(cur, kind, batch_id)
            inserted = _count_records(cur, kind) - before
            batches.record(
                cur,
                batch_id,
                batches.Record(
                    kind,
                    file_name,
                    actor.username,
                    "committed",
                    sha256,
                    rows=result.rows,
                    inserted=inserted,
                    warnings=len(result.warnings),
                    illustrative=how.illustrative,
                ),
            )
            store.refresh_derived(cur, batch_id)  # once the batch is live: they read live ones
            _audit_commit(cur, actor, kind, file_name, batch_id, result)
    except _RolledBack as rolled_back:
        return rolled_back.result
    result.status, result.batch_id, result.inserted = "committed", batch_id, inserted
    return result


class _RolledBack(Exception):
    """Leaves the import's transaction with nothing written, carrying the outcome."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__(result.status)
        self.result = result


def _audit_commit(
    cur: duckdb.DuckDBPyConnection,
    actor: User,
    kind: str,
    file_name: str,
    batch_id: int,
    result: ImportResult,
) -> None:
    """The commit's audit events, in its transaction: the import, and each closure the
    file proposes (one event per recommendation, for the Board's decision)."""
    detail = f"batch {batch_id}: {result.rows} row(s)"
    audit.record(cur, actor.username, "import", file_name, "committed", detail)
    if kind != "updates":
        return
    proposed = cur.execute(
        store.load_query("closures_proposed_in_file"), {"batch_id": batch_id}
    ).fetchall()
    for rec_id, meeting_id in proposed:
        audit.record(
            cur, actor.username, "closure-proposal", rec_id, "committed",
            f"for {meeting_id}, batch {batch_id}",
        )  # fmt: skip


def _check_in(cur: duckdb.DuckDBPyConnection, how: _How, staged: Staged) -> ImportResult:
    """Check the staged file inside the import's transaction; raise _RolledBack when it
    must not be written (problems found, or a dry run)."""
    errors, warnings = _check(cur, how, staged)
    result = ImportResult("valid", rows=staged.rows, errors=errors, warnings=warnings)
    if errors:
        result.status = "rejected"
    if errors or how.dry_run:
        # The preview is for the check a person reads before committing (the Upload page's
        # dry run); a file that is written goes without (for updates it would be a second
        # read of every staged row).
        result.preview = cur.execute(store.load_query("checked_preview")).df()
        raise _RolledBack(result)
    return result


def _check(
    cur: duckdb.DuckDBPyConnection, how: _How, staged: Staged
) -> tuple[list[Problem], list[Problem]]:
    kind, actor = how.kind, how.actor
    _register_vocabularies(cur)
    if kind in ("measures", "links"):
        measures.register_lookups(cur, kind)
    options = {
        "imported_by": actor.display_name,
        "missing": staged.missing,
        "markers": list(measures.NO_FIGURE_MARKS),
        "only_held": how.only_held,
    }
    store.run_script(cur, _QUERIES[kind].check, **options)
    found = [] if kind == "updates" else _problems(cur, kind, options)
    if kind == "updates":
        # `checked` is a view over the stage: one narrow read says whether any check fails;
        # only then are the rows kept and each problem's row, column and message found.
        authority = {
            "is_lead": actor.role == "lead",
            "lead_names": list(actor.lead_names),
            "rec_ids": list(actor.rec_ids),
        }
        params = {"missing": staged.missing, **authority}
        if cur.execute(store.load_query("any_problem_updates"), params).fetchall()[0][0]:
            store.run_script(cur, "keep_checked_updates")
            found = _problems(cur, kind, options)
            found += cur.execute(
                store.load_query("problems_updates_authority"), authority
            ).fetchall()
    errors, warnings = list(staged.errors), list(staged.warnings)
    for row, column, code, message, is_warning in found:
        (warnings if is_warning else errors).append(Problem(row, column, code, message))
    return sorted(errors, key=sort_key), sorted(warnings, key=sort_key)


def _problems(cur: duckdb.DuckDBPyConnection, kind: str, options: dict[str, Any]) -> list[Any]:
    """Each problem the kind's checks find in `checked`: (row, column, code, message,
    is_warning). `options`: the parameters the kind's queries may use."""
    return store.run_rows(cur, _QUERIES[kind].problems, **options)


def _register_vocabularies(cur: duckdb.DuckDBPyConnection) -> None:
    """The spellings of a status and of a RAG an upload may use, as the temp tables the
    checks read."""
    for name, pairs in (
        ("stage_status_spellings", vocab.status_spellings()),
        ("stage_rag_spellings", vocab.rag_spellings()),
    ):
        keys, words = [k for k, _ in pairs], [w for _, w in pairs]
        store.run_script(cur, name, keys=keys, words=words)


def _count_records(cur: duckdb.DuckDBPyConnection, kind: str) -> int:
    counted = cur.execute(store.load_query(_QUERIES[kind].count)).fetchall()
    return int(counted[0][0])


def _committed_batch_with(con: duckdb.DuckDBPyConnection, kind: str, sha256: str) -> int | None:
    cur = con.cursor()  # the connection is shared between threads; a cursor is not
    try:
        found = cur.execute(
            store.load_query("committed_batch_with_file"), {"kind": kind, "sha256": sha256}
        ).fetchall()[0][0]
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
        batch_id = batches.add(
            cur,
            batches.Record(
                kind, file_name, imported_by, status, sha256, rows, inserted, errors, warnings
            ),
        )
        detail = f"batch {batch_id}" + (f": {errors} problem(s)" if errors else "")
        audit.record(cur, imported_by, "import", file_name, status, detail)
    return batch_id


def _insert_records(cur: duckdb.DuckDBPyConnection, kind: str, batch_id: int) -> None:
    """Append the checked rows as batch `batch_id`; updates take their ids from the one
    source of update ids."""
    if kind == "updates":
        first = batches.first_update_id(cur)
        store.run_script(cur, _QUERIES[kind].insert, batch_id=batch_id, first_update_id=first)
    else:
        store.run_script(cur, _QUERIES[kind].insert, batch_id=batch_id)


def undo_batch(con: duckdb.DuckDBPyConnection, batch_id: int, undone_by: User | str) -> None:
    """Mark a committed batch reverted (recorded: who and when); every view then ignores
    what it wrote. Only the chair may undo."""
    actor = auth.acting(undone_by)
    try:
        auth.require(actor, "undo")
    except TrackerError as refused:
        audit.record_alone(
            con, actor.username, "undo", f"batch {batch_id}", "refused", str(refused)
        )
        raise
    with batches.writing(con, conflict=UNDONE_AT_THE_SAME_MOMENT), store.transaction(con) as cur:
        found = cur.execute(store.load_query("batch_status"), {"batch_id": batch_id}).fetchall()
        status = found[0][0] if found else None
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
                f"Batch {batch_id} added meetings, recommendations, measures or areas that "
                f"later batches use ({later}). Undo those first."
            )
        batches.revert(cur, batch_id, actor.username)
        store.refresh_derived(cur, batch_id)
        audit.record(cur, actor.username, "undo", f"batch {batch_id}", "success")
    batches.checkpoint(con)
