"""How long a board pack takes: builds a database of N generated recommendations with an
update at each of 20 Board meetings, then times every pack format for the last meeting.

    .venv/bin/python -m benchmarks.pack --recommendations 500
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.generate import Scale, generate, insert_bodies
from cjb_tracker import ingest, packs, store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recommendations", type=int, default=500)
    parser.add_argument("--meetings", type=int, default=20)
    args = parser.parse_args()
    scale = Scale(recommendations=args.recommendations, meetings=args.meetings, per_report=500)
    folder = generate(scale)
    with tempfile.TemporaryDirectory(prefix="cjb-pack-") as scratch:
        con = store.connect(Path(scratch) / "bench.duckdb")
        store.create_schema(con)
        insert_bodies(con, scale)
        for kind in ("meetings", "recommendations", "updates"):
            result = ingest.import_path(con, kind, folder / f"{kind}.csv", imported_by="bench")
            if result.status != "committed":
                raise SystemExit(f"benchmark data did not import: {result.errors[:3]}")
        meeting_id = str(store.run_query(con, "meeting_list")["meeting_id"].iloc[0])
        for fmt in packs.FORMATS:
            started = time.perf_counter()
            data = packs.build(con, meeting_id, fmt)
            elapsed = time.perf_counter() - started
            print(f"{fmt:>4}: {elapsed:6.2f} s  {len(data):>12,} bytes  ({meeting_id})")
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
