"""`make bench`: the validated updates import against DuckDB's bare read of the same file.

Both are timed in the same run on the same machine, three times each; the medians and
their ratio are printed. Target: the import within 2x the bare read.

    python -m benchmarks.run [--recommendations N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from benchmarks.generate import Scale, generate
from cjb_tracker import ingest, store

TARGET = 2.0
REPEATS = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recommendations", type=int, default=Scale().recommendations)
    parser.add_argument("--meetings", type=int, default=Scale().meetings)
    args = parser.parse_args()
    scale = Scale(args.recommendations, args.meetings)
    started = time.perf_counter()
    folder = generate(scale)
    print(f"data: {folder} ({time.perf_counter() - started:.1f} s to generate or find)")
    bare = _median(lambda: _bare_read(folder / "updates.csv"))
    imported = _median(lambda: _validated_import(folder))
    ratio = imported / bare
    verdict = "PASS" if ratio <= TARGET else "MISS"
    print(f"{'rows':>10} {'bare read_csv s':>16} {'validated import s':>19} {'ratio':>7}  target")
    print(
        f"{scale.updates:>10,} {bare:>16.2f} {imported:>19.2f} {ratio:>6.2f}x  "
        f"<= {TARGET:.1f}x {verdict}"
    )
    return 0


def _median(run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(REPEATS))


def _bare_read(path: Path) -> float:
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute("create table bare as select * from read_csv($path)", {"path": str(path)})
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def _validated_import(folder: Path) -> float:
    """A fresh database each time (the same file twice would be a duplicate)."""
    with tempfile.TemporaryDirectory(prefix="cjb-bench-") as scratch:
        con = store.connect(Path(scratch) / "bench.duckdb")
        store.create_schema(con)
        con.execute("insert into bodies values ('CJB', 'Criminal Justice Board')")
        for kind in ("meetings", "recommendations"):
            _must_commit(ingest.import_path(con, kind, folder / f"{kind}.csv", imported_by="bench"))
        started = time.perf_counter()
        result = ingest.import_path(con, "updates", folder / "updates.csv", imported_by="bench")
        elapsed = time.perf_counter() - started
        _must_commit(result)
        con.close()
    return elapsed


def _must_commit(result: ingest.ImportResult) -> None:
    if result.status != "committed":
        raise SystemExit(f"benchmark data did not import: {result.errors[:3]}")


if __name__ == "__main__":
    raise SystemExit(main())
