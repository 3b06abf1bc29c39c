"""How long the command line takes to start, against Python importing DuckDB alone.

Each command runs in a new process, paired with `python -c "import duckdb"` run just
before it (pair by pair, interleaved, so a busy moment on the machine touches both), N
pairs per command; the figure is the median of the pairs' ratios (target: at most 2x).

    .venv/bin/python -m benchmarks.startup [--pairs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0
BARE = [sys.executable, "-c", "import duckdb"]


def seconds(command: list[str]) -> float:
    """Wall-clock seconds of one run of `command` (which must succeed), from the project."""
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def pairs(command: list[str], count: int) -> list[tuple[float, float]]:
    """(bare DuckDB import, command) seconds, `count` times, after one untimed run of each
    (the first run reads the files from disk)."""
    seconds(BARE)
    seconds(command)
    return [(seconds(BARE), seconds(command)) for _ in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15)
    args = parser.parse_args(argv)
    cli = [sys.executable, "-m", "cjb_tracker"]
    with tempfile.TemporaryDirectory(prefix="cjb-startup-") as scratch:
        db = str(Path(scratch) / "tracker.duckdb")
        subprocess.run([*cli, "init", "--seed-only", "--db", db], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        commands = {
            "cjb-tracker --help": [*cli, "--help"],
            "cjb-tracker user list": [*cli, "user", "list", "--db", db],
        }
        print(f'Command-line start against `python -c "import duckdb"`, {args.pairs} pairs')
        worst = 0.0
        for label, command in commands.items():
            found = pairs(command, args.pairs)
            ratio = statistics.median(run / bare for bare, run in found)
            worst = max(worst, ratio)
            bare = statistics.median(b for b, _ in found)
            run = statistics.median(r for _, r in found)
            print(f"  {label:<24} {run:.3f} s against {bare:.3f} s: {ratio:.2f}x "
                  f"(median of the pairs' ratios; target <= {TARGET:.0f}x)")  # fmt: skip
    print("met" if worst <= TARGET else "NOT MET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
