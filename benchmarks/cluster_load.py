"""`make cluster-load`: `make load` on one process with its DuckDB file, then on the cluster
(two replicas on PostgreSQL behind nginx, deploy/cluster.py) with twice the people, in one
run on the same machine.

    python -m benchmarks.cluster_load [--sessions 30] [--browsers 3] [--duration 120]

The one process gets `--sessions` websocket sessions and `--browsers` Chromium sessions
that upload; the cluster gets twice each. Target (issue 19): 0 errors on the cluster, and
its p95 time for a page no worse than the one process's. Exits 1 when either misses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import load
from benchmarks.pages import running_server
from deploy import cluster as rig


def measured(url: str, pid: int | None, sessions: int, browsers: int, args: Any) -> dict[str, Any]:
    plan = load.Plan(url.rstrip("/"), load.accounts([]), args.rounds, "RAPE1-R4",
                     int(args.timeout * 1000), args.duration, args.ramp)  # fmt: skip
    cpu = load.CpuWatch(pid)
    figures, elapsed = asyncio.run(load.run(plan, sessions, browsers, cpu))
    return load.summary(figures, sessions, elapsed, None, cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30, help="on the one process")
    parser.add_argument("--browsers", type=int, default=3, help="on the one process")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--ramp", type=float, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    log = load.ARTIFACTS / "load-server.log"
    with load.demo_database(None) as db, running_server(db, log=log) as (url, pid):
        print(f"one process, {args.sessions} sessions ...", file=sys.stderr)
        single = measured(url, pid, args.sessions, args.browsers, args)

    folder = Path(tempfile.mkdtemp(prefix="cjb-cluster-load-", dir="/tmp"))
    try:
        running = rig.start(folder, replicas=args.replicas, port=None, demo=True)
        print(f"cluster of {args.replicas}, {2 * args.sessions} sessions ...", file=sys.stderr)
        several = measured(running.url, None, 2 * args.sessions, 2 * args.browsers, args)
    finally:
        rig.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)

    found = {"one process": single, "cluster": several}
    if args.json:
        print(json.dumps(found, indent=2))
    else:
        for name, figures in found.items():
            print(f"\n== {name}")
            load.report(figures)
    misses = []
    if several["errors"] or several["unfinished_at_the_end"]:
        misses.append(f"{several['errors']} errors on the cluster")
    for kind in ("websocket", "browser"):
        one, many = single[f"{kind}_p95_s"], several[f"{kind}_p95_s"]
        if one is not None and many is not None and many > one:
            misses.append(f"{kind} p95 {many} s on the cluster against {one} s on one process")
    print(
        "\nTarget (0 errors on the cluster; its p95 no worse than one process's): "
        + ("met" if not misses else "missed: " + "; ".join(misses))
    )
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
