"""What a tracker kept in PostgreSQL costs a replica, at national scale: its start, a write,
and seeing another replica's write, each beside the same on the DuckDB file, in one run.

    python -m benchmarks.replica [--recommendations N] [--meetings M] [--keep DIR]

It builds the national database (benchmarks/pages.py: 1,000,000 updates by default), puts it
into a PostgreSQL 15 server of its own (deploy/pgserver.py) as `cjb-tracker restore` does,
then times, three times each (medians):

- a replica's start (Replica.open: the local copy made from PostgreSQL), against opening the
  DuckDB file;
- a one-row updates import through a replica (advisory lock, catch-up, rows to PostgreSQL),
  against the same import on the file;
- another replica's catch-up after that write (the next page run's cost on every replica).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from benchmarks.generate import Scale
from benchmarks.pages import build_national
from cjb_tracker import ingest, migrate, store
from cjb_tracker.replica import Replica
from deploy import pgserver

REPEATS = 3


def _median(run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(REPEATS))


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=Scale().recommendations)
    parser.add_argument("--meetings", type=int, default=Scale().meetings)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the national file here")
    args = parser.parse_args(argv)
    scale = Scale(args.recommendations, args.meetings)
    scratch = Path(tempfile.mkdtemp(prefix="cjb-bench-replica-", dir="/tmp"))
    scratch.chmod(0o755)  # PostgreSQL runs as its own user
    try:
        national = (args.keep or scratch) / f"national-r{scale.recommendations}.duckdb"
        if not national.exists():
            national.parent.mkdir(parents=True, exist_ok=True)
            print(f"building {national} ({scale.updates:,} updates) ...", flush=True)
            build_national(national, scale)
        backup = scratch / "backup"
        con = store.connect(national)
        store.backup(con, backup)
        con.close()
        server = pgserver.start(scratch / "pg")
        try:
            loaded = _timed(
                lambda: Replica.create(
                    server.dsn, lambda local: migrate.restore(local, backup, by="bench")
                ).close()
            )
            print(f"into PostgreSQL (restore: local copy, then every row in one transaction): "
                  f"{loaded:.1f} s")  # fmt: skip
            report(national, server.dsn, scratch)
        finally:
            pgserver.stop(scratch / "pg")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _one_update(folder: Path, number: int) -> Path:
    path = folder / f"update-{number}.csv"
    path.write_text(
        "recommendation_id,meeting_date,status,rag,update\n"
        f"RAPE1-R4,12/01/2022,In progress,Amber,Benchmark write {number}\n",
        encoding="utf-8",
    )
    return path


def report(national: Path, dsn: str, scratch: Path) -> None:
    def open_file() -> float:
        return _timed(lambda: store.close(store.connect(national)))

    def open_replica() -> float:
        return _timed(lambda: Replica.open(dsn).close())

    counter = iter(range(1_000_000))

    def write(con: duckdb.DuckDBPyConnection) -> float:
        path = _one_update(scratch, next(counter))
        return _timed(lambda: ingest.import_path(con, "updates", path, imported_by="bench"))

    rows = [("start: open the file / make a replica's copy", _median(open_file), 0.0)]
    rows[0] = (*rows[0][:2], _median(open_replica))
    file_con = store.connect(national)
    writer, watcher = Replica.open(dsn), Replica.open(dsn)
    try:
        on_file = _median(lambda: write(file_con))
        on_postgres = _median(lambda: write(writer.local))
        rows.append(("write: a one-row updates import", on_file, on_postgres))

        def catch_up() -> float:
            write(writer.local)
            return _timed(watcher.catch_up)

        nothing_new = _median(lambda: _timed(watcher.catch_up))
        rows.append(("another replica's next page run: catch up", 0.0, _median(catch_up)))
        rows.append(("a page run when nothing changed: version check", 0.0, nothing_new))
    finally:
        file_con.close()
        writer.close()
        watcher.close()
    print(f"\n{'figure (median of 3)':<52} {'file s':>8} {'PostgreSQL s':>13}")
    for label, on_file, on_postgres in rows:
        shown = f"{on_file:>8.3f}" if on_file else f"{'-':>8}"
        print(f"{label:<52} {shown} {on_postgres:>13.3f}")


if __name__ == "__main__":
    raise SystemExit(main())
