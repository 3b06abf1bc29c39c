"""The embedded DuckDB file as fast as before PostgreSQL support: this code against an
earlier commit, in one run.

    python -m benchmarks.compare [--ref COMMIT] [--rounds N] [--rows N]

It checks the earlier commit out into a temporary git worktree and, round after round,
alternating which side goes first, runs on each side in a fresh process:

- every page through dashboard.py with AppTest on that side's own demo database (first run
  with empty caches, then the median of reruns: benchmarks/pages.py's --apptest mode);
- the validated import of the same generated updates file into a fresh database
  (benchmarks/run.py's import, its medians are per side).

Each figure is this code's median over the rounds divided by the earlier commit's: the
target is at most 1.1x (issue 19: pages and import on the DuckDB file within 1.1x of their
figures before it). Exits 1 when a figure misses it.

The default --ref is the last commit of main before PostgreSQL support began (45bc399,
before cjb_tracker/replica.py and the write hook in store.begun). Other issues' features
have landed since, so that figure holds more than this store's cost. To measure this
store's cost alone, --without-replica-hooks compares this code with itself, the "before"
side with every replica hook in cjb_tracker/store.py taken out (replica.of's look-up
replaced by None: what the file path would be with no PostgreSQL support):

    python -m benchmarks.compare --without-replica-hooks
Both sides run in this project's .venv: the earlier commit must need the same packages.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.generate import Scale, generate

ROOT = Path(__file__).resolve().parents[1]
BEFORE_POSTGRES = "45bc399ebbc4426ccdc342c105e482c4f08fd2c7"
TARGET = 1.1

# Run in a side's own folder (its cjb_tracker and benchmarks come first on sys.path).
_IMPORT = """
import json, sys
from pathlib import Path
from benchmarks import run
from benchmarks.generate import Scale
scale = Scale(int(sys.argv[2]), int(sys.argv[3]))
seconds = run._validated_import(Path(sys.argv[1]), scale)
print(json.dumps({"import": seconds}))
"""
_BUILD_DEMO = """
import sys
from pathlib import Path
from benchmarks.pages import build_demo
build_demo(Path(sys.argv[1]))
"""


def _python(side: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=side, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed in {side}:\n{done.stderr[-3000:]}")
    return done.stdout


def _which_code(side: Path) -> str:
    """Where the side's processes import cjb_tracker from: must be the side itself."""
    return _python(side, "-c", "import cjb_tracker; print(cjb_tracker.__file__)").strip()


def _round(side: Path, demo: Path, data: Path, scale: Scale) -> dict[str, float]:
    answer = _python(side, "-m", "benchmarks.pages", "--apptest", str(demo))
    pages = json.loads(answer.strip().splitlines()[-1])["pages"]
    figures = {
        f"{label}, {kind}": seconds
        for label, runs in pages.items()
        for kind, seconds in runs.items()
    }
    imported = json.loads(
        _python(side, "-c", _IMPORT, str(data), str(scale.recommendations), str(scale.meetings))
        .strip().splitlines()[-1]
    )  # fmt: skip
    figures["updates import"] = imported["import"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default=BEFORE_POSTGRES, help="the earlier commit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=200_000, help="update rows to import")
    parser.add_argument(
        "--without-replica-hooks", action="store_true",
        help="compare with this commit (HEAD) with the replica hooks taken out",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.without_replica_hooks:
        args.ref = "HEAD"
    scale = Scale(max(args.rows // 20, 1), 20)
    data = generate(scale)
    with tempfile.TemporaryDirectory(prefix="cjb-compare-") as scratch:
        before = Path(scratch) / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(before), args.ref],
            cwd=ROOT, check=True,
        )  # fmt: skip
        try:
            if args.without_replica_hooks:
                _take_out_replica_hooks(before)
            sides = {"before": before, "now": ROOT}
            for name, side in sides.items():
                code = _which_code(side)
                if not code.startswith(str(side)):
                    raise SystemExit(f"the {name} side imports cjb_tracker from {code}")
            demos = {name: Path(scratch) / f"demo-{name}.duckdb" for name in sides}
            for name, side in sides.items():
                _python(side, "-c", _BUILD_DEMO, str(demos[name]))
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
            for number in range(args.rounds):
                order = list(sides) if number % 2 == 0 else list(reversed(sides))
                for name in order:
                    runs[name].append(_round(sides[name], demos[name], data, scale))
                    print(f"round {number + 1}, {name}: done", file=sys.stderr)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=False
            )
    label = "HEAD without the replica hooks" if args.without_replica_hooks else args.ref
    return report(runs, label, scale)


_HOOK = re.compile(r"replica\.of\((con|cur)\)")


def _take_out_replica_hooks(side: Path) -> None:
    """Every `replica.of(con)` / `replica.of(cur)` in the side's store.py becomes None: no
    page run or write asks whether its connection is a replica's."""
    store = side / "cjb_tracker" / "store.py"
    text, hooks = _HOOK.subn("None", store.read_text(encoding="utf-8"))
    if hooks == 0:
        raise SystemExit("no replica hook found in cjb_tracker/store.py")
    store.write_text(text, encoding="utf-8")
    print(f"before side: {hooks} replica hooks taken out of store.py", file=sys.stderr)


def report(runs: dict[str, list[dict[str, float]]], ref: str, scale: Scale) -> int:
    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[name])

    missed = 0
    against = ref if " " in ref else ref[:10]
    print(f"This code against {against}, medians of {len(runs['now'])} rounds in one run")
    print(f"(updates import: {scale.updates:,} rows; pages: the demo database, AppTest)\n")
    print(f"{'figure':<44} {'before s':>9} {'now s':>9} {'ratio':>7}  target")
    found: dict[str, Any] = {}
    # Pages that both sides have (a page added since the earlier commit has nothing to be
    # compared with), then their sums.
    common = [k for k in runs["now"][0] if k in runs["before"][0] and k != "updates import"]
    for side in runs.values():
        for figures in side:
            for kind in ("first run", "rerun"):
                figures[f"all pages, {kind}"] = sum(
                    figures[k] for k in common if k.endswith(f", {kind}")
                )
    new = sorted(
        {k.rsplit(", ", 1)[0] for k in runs["now"][0]}
        - {k.rsplit(", ", 1)[0] for k in runs["before"][0]}
    )
    if new:
        print(f"(pages new since then, not compared: {', '.join(new)})")
    for key in [*common, "all pages, first run", "all pages, rerun", "updates import"]:
        then, now = median("before", key), median("now", key)
        ratio = now / then
        headline = key.startswith("all pages") or key == "updates import"
        verdict = ("met" if ratio <= TARGET else "MISSED") if headline else ""
        missed += verdict == "MISSED"
        found[key] = {"before": then, "now": now, "ratio": ratio}
        print(f"{key:<44} {then:>9.3f} {now:>9.3f} {ratio:>6.2f}x  {verdict}")
    print(f"\nTarget: the all-pages sums and the import within {TARGET}x: "
          f"{'met' if not missed else f'{missed} missed'}.")  # fmt: skip
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
