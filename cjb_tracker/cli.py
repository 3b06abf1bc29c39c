"""The command line, for the secretariat and for automation. It runs with chair rights;
--by names who is recorded. Exit 0: done (or valid, on a dry run); 1: rejected, nothing
written; 2: wrong usage.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from cjb_tracker import ingest, packs, seed, store
from cjb_tracker.errors import TrackerError
from cjb_tracker.formats import KINDS
from cjb_tracker.ingest import ImportResult

EXIT_DONE, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cjb-tracker", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create a new database")
    _add_db(init)
    what = init.add_mutually_exclusive_group()
    what.add_argument("--demo", action="store_true", help="add illustrative demo data")
    what.add_argument("--seed-only", action="store_true", help="only the source letter (default)")

    load = commands.add_parser("import", help="import an updates, recommendations or meetings file")
    load.add_argument("kind", choices=KINDS)
    load.add_argument("file", type=Path)
    _add_db(load)
    _add_by(load)
    load.add_argument("--dry-run", action="store_true", help="check only; write nothing")
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

    export = commands.add_parser("export", help="write a meeting's board pack")
    exports = export.add_subparsers(dest="export_kind", required=True)
    pack = exports.add_parser("pack", help="the board pack for one meeting")
    pack.add_argument("--meeting", required=True, help="body and date, e.g. CJB:2026-10-14")
    pack.add_argument("--format", required=True, choices=packs.FORMATS)
    pack.add_argument("--out", required=True, type=Path, help="the file to write")
    _add_db(pack)
    return parser


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, help="database file (default: $CJB_TRACKER_DB or data/tracker.duckdb)"
    )


def _add_by(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", default=None, help="who is recorded as doing it")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except TrackerError as error:
        print(f"cjb-tracker: {error}", file=sys.stderr)
        return EXIT_REJECTED


def _run(args: argparse.Namespace) -> int:
    path = store.db_path(args.db)
    if args.command == "init":
        return _init(path, args.demo)
    if args.command == "import" and not args.file.is_file():
        print(f"cjb-tracker: no such file: {args.file}", file=sys.stderr)
        return EXIT_USAGE
    if args.command in {"import", "undo", "backup", "export"} and not path.exists():
        raise TrackerError(f"There is no database at {path}. Create it with: cjb-tracker init")
    con = store.connect(path)
    try:
        if args.command == "import":
            result = ingest.import_path(
                con, args.kind, args.file, imported_by=_who(args.by), dry_run=args.dry_run
            )
            return _report(result, args.json)
        if args.command == "undo":
            ingest.undo_batch(con, args.batch_id, _who(args.by))
            print(f"Batch {args.batch_id} is undone; the views no longer include it.")
        elif args.command == "backup":
            store.backup(con, args.directory)
            print(f"Backed up {path} to {args.directory}.")
        elif args.command == "export":
            _export_pack(con, args.meeting, args.format, args.out)
        elif args.command == "restore":
            store.restore(con, args.directory)
            print(f"Restored {args.directory} into {path}.")
    finally:
        con.close()
    return EXIT_DONE


def _export_pack(con: duckdb.DuckDBPyConnection, meeting: str, fmt: str, out: Path) -> None:
    meeting_id = packs.meeting_id_of(meeting)
    data = packs.build(con, meeting_id, fmt)
    out.write_bytes(data)
    print(f"Wrote the {fmt.upper()} board pack for {meeting_id} to {out} ({len(data):,} bytes).")


def _init(path: Path, demo: bool) -> int:
    if path.exists():
        raise TrackerError(
            f"{path} already exists; it was left as it is. Remove it first to build a new one."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    con = store.connect(path)
    try:
        seed.init_database(con, demo=demo)
    except BaseException:
        con.close()
        path.unlink(missing_ok=True)
        Path(f"{path}.wal").unlink(missing_ok=True)
        raise
    con.close()
    print(f"Created {path}" + (" with illustrative demo data." if demo else " from the seed."))
    return EXIT_DONE


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
