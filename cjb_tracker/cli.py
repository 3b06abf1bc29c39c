"""The command line, for the secretariat and for automation. It runs with chair rights;
--by names who is recorded. Exit 0: done (or valid, on a dry run); 1: rejected, nothing
written; 2: wrong usage.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from cjb_tracker import audit, migrate, remind_cli, store, user_cli
from cjb_tracker.errors import DatabaseInUse, TrackerError
from cjb_tracker.formats import KINDS

if TYPE_CHECKING:
    from cjb_tracker.ingest import ImportResult

# The modules that load pandas, openpyxl or plotly (ingest, seed, decisions, packs) are
# imported by the commands that use them, not here: `--help` or `user list` would wait a
# second for them (benchmarks/startup.py measures the start).

EXIT_DONE, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
# packs.FORMATS, named here so the parser does not import packs (tests/test_cli.py checks
# that the two agree).
PACK_FORMATS: tuple[str, ...] = ("pdf", "html", "xlsx", "csv")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cjb-tracker", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create a new database")
    _add_db(init)
    what = init.add_mutually_exclusive_group()
    what.add_argument("--demo", action="store_true", help="add illustrative demo data")
    what.add_argument("--seed-only", action="store_true", help="only the source letter (default)")

    load = commands.add_parser(
        "import", help="import an updates, recommendations, meetings, measures or links file"
    )
    load.add_argument("kind", choices=KINDS)
    load.add_argument("file", type=Path)
    _add_db(load)
    _add_by(load)
    load.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    load.add_argument(
        "--only-held",
        action="store_true",
        help="measures: skip (with a warning) the rows of measures and areas not held, as in a "
        "published file that covers every area",
    )
    load.add_argument("--json", action="store_true", help="print the outcome as one JSON object")

    undo = commands.add_parser("undo", help="revert an import batch (recorded, nothing deleted)")
    undo.add_argument("batch_id", type=int)
    _add_db(undo)
    _add_by(undo)

    backup = commands.add_parser("backup", help="export the whole database to a folder")
    backup.add_argument("directory", type=Path)
    _add_db(backup)

    restore = commands.add_parser("restore", help="load a backup folder into a new database")
    restore.add_argument("directory", type=Path)
    _add_db(restore)
    _add_by(restore)

    export = commands.add_parser("export", help="write a meeting's board pack")
    exports = export.add_subparsers(dest="export_kind", required=True)
    pack = exports.add_parser("pack", help="the board pack for one meeting")
    pack.add_argument("--meeting", required=True, help="body and date, e.g. CJB:2026-10-14")
    pack.add_argument("--format", required=True, choices=PACK_FORMATS)
    pack.add_argument("--out", required=True, type=Path, help="the file to write")
    _add_db(pack)
    _add_by(pack)

    decide = commands.add_parser("decide", help="record the Board's decision on a closure")
    decide.add_argument("rec_id", help="the recommendation, e.g. RAPE1-R2")
    decide.add_argument("--meeting", required=True, help="body and date, e.g. CJB:2022-04-13")
    verdict = decide.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--accept", metavar="MINUTE", help="accepted, with the minute reference")
    verdict.add_argument("--reject", metavar="REASON", help="not accepted, with the reason")
    _add_db(decide)
    _add_by(decide)

    reopen = commands.add_parser(
        "reopen", help="record the Board's decision to reopen a closed recommendation"
    )
    reopen.add_argument("rec_id", help="the recommendation, e.g. RAPE1-R2")
    reopen.add_argument("--meeting", required=True, help="body and date, e.g. CJB:2022-04-13")
    reopen.add_argument("--reason", required=True, help="why the Board reopened it")
    _add_db(reopen)
    _add_by(reopen)

    migrate = commands.add_parser(
        "migrate", help="upgrade a database made by an earlier version, keeping every record"
    )
    _add_db(migrate)
    _add_by(migrate)
    migrate.add_argument(
        "--dry-run", action="store_true", help="say what would be done; change nothing"
    )

    user_cli.add_commands(commands, _add_db, _add_by)
    remind_cli.add_commands(commands, _add_db, _add_by)
    return parser


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        help="the database: a DuckDB file, or postgresql://user:password@host:port/name for "
        "several replicas (default: $CJB_TRACKER_DB or data/tracker.duckdb)",
    )


def _add_by(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", default=None, help="who is recorded as doing it")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:
        # The reader went away (`cjb-tracker remind --dry-run | head`): no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_DONE
    except TrackerError as error:
        print(f"cjb-tracker: {error}", file=sys.stderr)
        if isinstance(error, DatabaseInUse) and args.command == "remind":
            print(REMIND_WHILE_IN_USE, file=sys.stderr)
        return EXIT_REJECTED


# What `remind` adds when the dashboard holds the DuckDB file (cron's usual case).
REMIND_WHILE_IN_USE = (
    "While the dashboard runs, let it send the reminders itself: set [reminders] send_at = "
    '"07:30" in .streamlit/secrets.toml (or CJB_TRACKER_REMIND_AT=07:30) and restart it; '
    "or send from its Reminders page. Nothing was sent."
)


def _run(args: argparse.Namespace) -> int:
    target = store.database(args.db)
    if args.command == "import" and not args.file.is_file():
        print(f"cjb-tracker: no such file: {args.file}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(target, str):
        return _run_on_postgres(target, args)
    path = target
    if args.command == "init":
        return _init(path, args.demo)
    if args.command == "restore":
        return _restore(path, args.directory, _who(args.by))
    if args.command == "migrate":
        return _migrate(path, _who(args.by), args.dry_run)
    if not path.exists():
        raise TrackerError(f"There is no database at {path}. Create it with: cjb-tracker init")
    # A file of another schema version can still be backed up; nothing else may touch it.
    con = store.connect(path) if args.command == "backup" else store.open_tracker(path)
    return _on(con, path, args)


def _run_on_postgres(dsn: str, args: argparse.Namespace) -> int:
    """The same commands on a tracker kept in PostgreSQL (cjb_tracker.replica): each works
    on this process's copy, and every write goes to PostgreSQL as it is made."""
    from cjb_tracker import replica, seed

    where = replica.redact(dsn)
    if args.command == "init":
        replica.Replica.create(dsn, lambda con: seed.init_database(con, demo=args.demo)).close()
        print(f"Created the tracker in {where}" + (" with illustrative demo data." if args.demo
              else " from the seed."))  # fmt: skip
        return EXIT_DONE
    if args.command == "restore":
        found: list[int] = []
        made = replica.Replica.create(
            dsn, lambda con: found.append(migrate.restore(con, args.directory, by=_who(args.by)))
        )
        made.close()
        upgraded = (
            f" It was a backup of schema {found[0]}." if found[0] != store.SCHEMA_VERSION else ""
        )
        print(f"Restored {args.directory} into {where}.{upgraded}")
        return EXIT_DONE
    if args.command == "migrate":
        return _report_migration(
            migrate.migrate_postgres(dsn, by=_who(args.by), dry_run=args.dry_run), args.dry_run
        )
    return _on(store.open_tracker(dsn), where, args)


def _on(con: duckdb.DuckDBPyConnection, path: Path | str, args: argparse.Namespace) -> int:
    """Run a command that works on an open tracker, and close it."""
    try:
        if args.command == "import":
            from cjb_tracker import ingest

            result = ingest.import_path(
                con,
                args.kind,
                args.file,
                imported_by=_who(args.by),
                dry_run=args.dry_run,
                only_held=args.only_held,
            )
            return _report(result, args.json)
        if args.command in remind_cli.COMMANDS:
            return remind_cli.run(con, args, _who(args.by))
        if args.command == "user":
            user_cli.run(con, args, _who(args.by))
        elif args.command == "decide":
            _decide(con, args)
        elif args.command == "reopen":
            _reopen(con, args)
        elif args.command == "undo":
            from cjb_tracker import ingest

            ingest.undo_batch(con, args.batch_id, _who(args.by))
            print(f"Batch {args.batch_id} is undone; the views no longer include it.")
        elif args.command == "backup":
            store.backup(con, args.directory)
            print(f"Backed up {path} to {args.directory}.")
        elif args.command == "export":
            _export_pack(con, args.meeting, args.format, args.out)
            audit.record_alone(con, _who(args.by), "export", args.meeting, "success", args.format)
    finally:
        store.close(con)
    return EXIT_DONE


def _reopen(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> None:
    from cjb_tracker import decisions, packs

    meeting_id = packs.meeting_id_of(args.meeting)
    batch_id = decisions.reopen(con, _who(args.by), args.rec_id, meeting_id, args.reason)
    print(f"Recorded as batch {batch_id}: {args.rec_id.upper()} is In progress again.")


def _decide(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> None:
    from cjb_tracker import decisions, packs

    decision = decisions.Decision(
        args.rec_id,
        packs.meeting_id_of(args.meeting),
        accepted=args.accept is not None,
        minute=args.accept,
        reason=args.reject,
    )
    batch_id = decisions.decide(con, _who(args.by), decision)
    verdict = "accepted: Complete" if decision.accepted else "not accepted: back to In progress"
    print(f"Recorded as batch {batch_id}: the closure of {decision.rec_id.upper()} {verdict}.")


def _export_pack(con: duckdb.DuckDBPyConnection, meeting: str, fmt: str, out: Path) -> None:
    from cjb_tracker import packs

    meeting_id = packs.meeting_id_of(meeting)
    data = packs.build(con, meeting_id, fmt)
    out.write_bytes(data)
    print(f"Wrote the {fmt.upper()} board pack for {meeting_id} to {out} ({len(data):,} bytes).")


def _migrate(path: Path, by: str, dry_run: bool) -> int:
    return _report_migration(migrate.migrate(path, by=by, dry_run=dry_run), dry_run)


def _report_migration(outcome: migrate.Outcome, dry_run: bool) -> int:
    path = outcome.path
    if outcome.engine:
        print(outcome.engine)
        if dry_run:
            print("Nothing was changed (dry run).")
            return EXIT_DONE
    now = f"schema {outcome.found}"
    if not outcome.todo:
        print(f"{path} is up to date ({now}); nothing to do.")
        return EXIT_DONE
    listed = "".join(f"\n  {step.label}" for step in outcome.todo)
    if dry_run:
        print(
            f"{path} is at {now}; this version uses schema {store.SCHEMA_VERSION}. "
            f"cjb-tracker migrate would back it up, then apply:{listed}\n"
            "then make every view again, rebuild the derived tables, and check that every "
            "table and view holds what it held. Nothing was changed (dry run)."
        )
        return EXIT_DONE
    print(
        f"Backed up {path} to {outcome.backup} (checked: it reads back the same).\n"
        f"Applied, in one transaction:{listed}\n"
        f"Checked {outcome.checked} tables and views: every row is still there.\n"
        f"{path} is now at schema {store.SCHEMA_VERSION} ({outcome.seconds:.1f} s)."
    )
    return EXIT_DONE


def _restore(path: Path, directory: Path, by: str) -> int:
    with _new_database(path, f"{path} already exists; restore into a new file (--db).") as con:
        found = migrate.restore(con, directory, by=by)
    upgraded = (
        f" It was a backup of schema {found}, upgraded to schema {store.SCHEMA_VERSION}."
        if found != store.SCHEMA_VERSION
        else ""
    )
    print(
        f"Restored {directory} into {path}.{upgraded} The restored database has a new session "
        "key: everyone must sign in again."
    )
    return EXIT_DONE


def _init(path: Path, demo: bool) -> int:
    from cjb_tracker import seed

    exists = f"{path} already exists; it was left as it is. Remove it first to build a new one."
    with _new_database(path, exists) as con:
        seed.init_database(con, demo=demo)
    print(f"Created {path}" + (" with illustrative demo data." if demo else " from the seed."))
    return EXIT_DONE


@contextmanager
def _new_database(path: Path, exists: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new database file, removed again if what fills it fails: never a half-made file."""
    if path.exists():
        raise TrackerError(exists)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = store.connect(path)
    try:
        yield con
    except BaseException:
        con.close()
        path.unlink(missing_ok=True)
        Path(f"{path}.wal").unlink(missing_ok=True)
        raise
    con.close()


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "command line"


def _report(result: ImportResult, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        _print_result(result)
    return EXIT_REJECTED if result.status == "rejected" else EXIT_DONE


def _print_result(result: ImportResult) -> None:
    headline = {
        "committed": f"Committed as batch {result.batch_id}: {result.inserted} of "
        f"{result.rows} rows written.",
        "valid": f"Valid: {result.rows} rows would be written (dry run; nothing written).",
        "duplicate": "Already imported; nothing added.",
        "rejected": f"Rejected: {len(result.errors)} problem(s); nothing was written.",
    }[result.status]
    print(headline)
    for label, problems in (("Error", result.errors), ("Warning", result.warnings)):
        for p in problems:
            where = ", ".join(x for x in (f"row {p.row}" if p.row else "", p.column or "") if x)
            print(
                f"  {label} [{p.code}] {where}: {p.message}"
                if where
                else f"  {label} [{p.code}]: {p.message}"
            )
