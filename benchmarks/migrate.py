"""How long `cjb-tracker migrate` takes on a national-scale database of the previous release.

The database is built by the release's own code (checked out from git at the commit its
fixture's manifest names, tests/data/releases/*.json): the seed, 20 meetings, 50,000
recommendations and 1,000,000 updates (benchmarks/generate.py). Then this code upgrades
a copy of it, and the command's own report and wall time are printed.

    python -m benchmarks.migrate [--recommendations N] [--meetings M]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from benchmarks.generate import Scale, generate

ROOT = Path(__file__).parents[1]
RELEASES = ROOT / "tests" / "data" / "releases"

_BUILD = """
import sys
from pathlib import Path
import duckdb
from benchmarks.generate import Scale, insert_bodies
from cjb_tracker import ingest, seed, store
folder, db = Path(sys.argv[1]), Path(sys.argv[2])
scale = Scale(int(sys.argv[3]), int(sys.argv[4]))
con = store.connect(db)
seed.init_database(con)
insert_bodies(con, scale)
for kind in ("meetings", "recommendations", "updates"):
    result = ingest.import_path(con, kind, folder / f"{kind}.csv", imported_by="benchmark")
    assert result.status == "committed", result.errors[:3]
con.close()
"""


def release_code(commit: str, into: Path) -> Path:
    """The release's cjb_tracker, queries and data, as git holds them at `commit`."""
    archive = subprocess.run(
        ["git", "archive", commit, "cjb_tracker", "queries", "data"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout  # fmt: skip
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recommendations", type=int, default=Scale().recommendations)
    parser.add_argument("--meetings", type=int, default=Scale().meetings)
    args = parser.parse_args()
    scale = Scale(args.recommendations, args.meetings)
    folder = generate(scale)
    manifests = sorted(RELEASES.glob("*.json"))
    release = json.loads(manifests[-1].read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        old = release_code(release["commit"], work / "release")
        (old / "benchmarks").mkdir()
        shutil.copy(ROOT / "benchmarks" / "generate.py", old / "benchmarks" / "generate.py")
        (old / "benchmarks" / "__init__.py").touch()
        db = work / "national.duckdb"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", _BUILD, str(folder), str(db), str(scale.recommendations),
             str(scale.meetings)],
            cwd=old, env={"PYTHONPATH": str(old), "PATH": "/usr/bin:/bin"}, check=True,
        )  # fmt: skip
        built = time.perf_counter() - started
        size = db.stat().st_size / 2**20
        print(f"built with release {release['release']} (schema {release['schema']}) in "
              f"{built:.0f} s: {scale.updates:,} updates, {size:,.0f} MiB")  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "cjb_tracker", "migrate", "--db", str(db), "--by", "benchmark"],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        wall = time.perf_counter() - started
        print(done.stdout + done.stderr)
        print(f"cjb-tracker migrate, wall time with start-up: {wall:.1f} s")
        return done.returncode


if __name__ == "__main__":
    sys.exit(main())
