"""`make bench`, pages: every page at national scale against the demo data, measured in one run.

Builds two databases in a scratch folder: the demo (`cjb-tracker init --demo`) and a
national one (the seed plus benchmarks.generate: 50,000 recommendations across 100 reports
and 10 bodies, 20 Board meetings, 1,000,000 updates). Then, alternating the scales, each
round:

- runs every page's script through dashboard.py with AppTest, in a fresh Python process
  per scale: the first run with Streamlit's caches empty, then 15 reruns (their median);
- starts a real `streamlit run` per scale, opens the Overview in headless Chromium and
  times it from opening to its three charts being drawn (caches empty: the server is new),
  then walks every page and reads the server's peak resident memory (VmHWM).

It prints the medians over the rounds and, for each figure, national / demo against its
target (first run 2x, rerun 1.2x, memory 1.5x, time to charts 1.5x).

    python -m benchmarks.pages [--rounds 3] [--recommendations 50000] [--no-browser]
    python -m benchmarks.pages --apptest DB   # one scale's AppTest timings, as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.generate import Scale, generate, insert_bodies
from cjb_tracker import ingest, seed, store

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = str(ROOT / "dashboard.py")
TESTS = ROOT / "tests"
TARGETS = {"first run": 2.0, "rerun": 1.2, "memory": 1.5, "charts": 1.5}
RERUNS = 15  # a rerun takes tens of milliseconds on a machine whose speed wanders
# (label, page script, URL query). "{rec}" is a recommendation with updates in that database.
PAGES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("Overview", "pages/1_overview.py", {}),
    ("Recommendations", "pages/2_recommendations.py", {}),
    ("Recommendation detail", "pages/2_recommendations.py", {"rec": "{rec}"}),
    ("Meetings", "pages/3_meetings.py", {}),
    ("Overdue", "pages/4_overdue.py", {}),
    ("Outcomes", "pages/10_outcomes.py", {}),
    ("Presenting mode", "pages/11_present.py", {}),
    ("Upload", "pages/5_upload.py", {}),
    ("Closure decisions", "pages/6_decisions.py", {}),
    ("Audit trail", "pages/7_audit.py", {}),
    ("Accessibility", "pages/9_accessibility.py", {}),
)
# The pages the browser walks before the server's memory is read (URL paths).
BROWSER_PATHS = (
    "recommendations", "meetings", "overdue", "present", "upload", "decisions", "audit",
)  # fmt: skip


# --- What the tests' browser kit already does: accounts, sign-in, a healthy server --------


def _tests_helpers() -> Any:
    """tests/helpers.py (the test accounts: username = role) and tests/browser/browserkit.py
    (a dashboard on a free port once healthy; signing in with the form), as the tests use
    them."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    import helpers

    return helpers


def _browserkit() -> Any:
    _tests_helpers()
    from browser import browserkit

    return browserkit


def add_accounts(con: Any) -> None:
    _tests_helpers().add_test_accounts(con)


def signed_in(at: Any) -> Any:
    """An AppTest session signed in as the chair (who sees every page)."""
    return _tests_helpers().sign_in(at, "chair")


def browser_sign_in(tab: Any, url: str, path: str) -> None:
    """Signed in as the chair with the sign-in form, on url/path."""
    _browserkit().sign_in(tab, url, "chair", path)


# --- The two databases -------------------------------------------------------------------


def build_demo(path: Path) -> None:
    con = store.connect(path)
    try:
        seed.init_database(con, demo=True)
        add_accounts(con)
    finally:
        con.close()


def build_national(path: Path, scale: Scale) -> None:
    """The seed, the generated national data imported the way a user imports it, accounts."""
    folder = generate(scale)
    con = store.connect(path)
    try:
        seed.init_database(con)
        insert_bodies(con, scale)
        for kind in ("meetings", "recommendations", "updates"):
            result = ingest.import_path(con, kind, folder / f"{kind}.csv", imported_by="bench")
            if result.status != "committed":
                raise SystemExit(f"benchmark data did not import: {result.errors[:3]}")
        add_accounts(con)
    finally:
        con.close()


def sample_recommendation(path: Path) -> str:
    con = store.connect(path)
    try:
        rows = con.execute(
            "select max(rec_id) from effective_updates where status <> 'Complete'"
        ).fetchall()
    finally:
        con.close()
    return str(rows[0][0])


# --- AppTest, in a process of its own per scale ------------------------------------------


def apptest_timings(db: Path) -> dict[str, Any]:
    """Every page's first run (caches empty) and rerun, in seconds; this process's peak RSS."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CJB_TRACKER_DB"] = str(db)
    rec = sample_recommendation(db)

    def opened(script: str, query: dict[str, str]) -> Any:
        at = signed_in(AppTest.from_file(DASHBOARD, default_timeout=600))
        at.query_params.update({k: v.format(rec=rec) for k, v in query.items()})
        at.switch_page(script)
        return at

    for script in ("pages/9_accessibility.py", "pages/1_overview.py"):  # imports, untimed
        opened(script, {}).run()
    timings: dict[str, Any] = {}
    for label, script, query in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = opened(script, query)
        first = _timed(at.run)
        _must_show_page(at, label)
        # A rerun takes tens of milliseconds, where one scheduling hiccup counts: the median
        # of several.
        rerun = statistics.median(_timed(at.run) for _ in range(RERUNS))
        timings[label] = {"first run": first, "rerun": rerun}
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent that built
    # the national database.
    return {"pages": timings, "apptest_peak_mib": _peak_memory_mib(os.getpid())}


def _must_show_page(at: Any, label: str) -> None:
    """The page itself was drawn: no exception, and not the sign-in page instead. (Presenting
    mode draws its heading in its own HTML.)"""
    titles = [t.value for t in at.title] or [h.value for h in at.html if "<h1>" in h.value]
    if at.exception or not titles or titles[0] == "Sign in":
        problems = [e.value for e in at.exception] + [e.value for e in at.error]
        raise SystemExit(f"{label} was not drawn (titles {titles}): {problems}")


def _timed(run: Any) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def apptest_in_subprocess(db: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.pages", "--apptest", str(db)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"AppTest run on {db} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- A real server and Chromium -----------------------------------------------------------


@contextmanager
def running_server(db: Path, log: Path | None = None) -> Iterator[tuple[str, int]]:
    """`streamlit run serve.py` on db, as `make run` starts it, once healthy (the browser
    kit's); yields its URL and process id. The server's output (tracebacks of errors shown
    to users as a plain sentence) goes to log, by default server.log beside the database."""
    with _browserkit().dashboard_process(db, log=log, timeout=60) as (url, process):
        yield url, process.pid


def _settle(tab: Any) -> None:
    tab.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=600_000
    )


def _peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc: peak memory cannot be read on this system")


def browser_figures(db: Path) -> dict[str, float]:
    """Seconds from opening the Overview to its three charts drawn, on a new server (empty
    caches); then the server's peak memory after Chromium has opened every page."""
    from playwright.sync_api import sync_playwright

    with running_server(db) as (url, pid), sync_playwright() as p:
        kit = _browserkit()
        browser = p.chromium.launch(executable_path=kit.CHROMIUM, args=kit.CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.set_default_timeout(600_000)
        browser_sign_in(tab, url, "accessibility")  # a page that runs no data query
        _settle(tab)
        started = time.perf_counter()
        tab.goto(f"{url}/")  # the Overview is the default page, at the root URL
        tab.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3"
        )
        charts = time.perf_counter() - started
        _settle(tab)
        for path in BROWSER_PATHS:
            tab.goto(f"{url}/{path}")
            _settle(tab)
        tab.wait_for_timeout(1000)
        memory = _peak_memory_mib(pid)
        browser.close()
    return {"charts": charts, "memory": memory}


# --- The run ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--recommendations", type=int, default=Scale().recommendations)
    parser.add_argument("--meetings", type=int, default=Scale().meetings)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the databases here")
    parser.add_argument("--apptest", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.apptest:
        print(json.dumps(apptest_timings(args.apptest)))
        return 0
    scale = Scale(args.recommendations, args.meetings)
    with _scratch(args.keep) as folder:
        databases = _databases(folder, scale)
        rounds = [_round(databases, not args.no_browser) for _ in range(args.rounds)]
    _report(rounds, scale)
    return 0


@contextmanager
def _scratch(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="cjb-pages-") as scratch:
        yield Path(scratch)


def _databases(folder: Path, scale: Scale) -> dict[str, Path]:
    databases = {"demo": folder / "demo.duckdb", "national": folder / "national.duckdb"}
    for name, path in databases.items():
        if path.exists():
            print(f"{name}: reusing {path}")
            continue
        started = time.perf_counter()
        build_demo(path) if name == "demo" else build_national(path, scale)
        print(f"{name}: built {path} in {time.perf_counter() - started:.1f} s")
    return databases


Round = dict[str, dict[str, Any]]


def _round(databases: dict[str, Path], browser: bool) -> Round:
    measured: Round = {}
    for name, db in databases.items():
        measured[name] = apptest_in_subprocess(db)
        if browser:
            measured[name] |= browser_figures(db)
        print(f"  {name}: {_brief(measured[name])}", flush=True)
    return measured


def _brief(figures: dict[str, Any]) -> str:
    total = sum(t["first run"] for t in figures["pages"].values())
    extra = (
        f", overview charts {figures['charts']:.2f} s, server peak {figures['memory']:.0f} MiB"
        if "charts" in figures
        else ""
    )
    return f"pages' first runs {total:.1f} s{extra}"


def _median(rounds: list[Round], scale: str, *keys: str) -> float:
    values = []
    for measured in rounds:
        value: Any = measured[scale]
        for key in keys:
            value = value[key]
        values.append(float(value))
    return statistics.median(values)


def _line(label: str, demo: float, national: float, target: float, unit: str) -> str:
    ratio = national / demo
    verdict = "PASS" if ratio <= target else "MISS"
    return (
        f"{label:<34} {demo:>9.2f} {national:>10.2f} {ratio:>7.2f}x  <= {target:.1f}x {verdict}"
        f"  ({unit})"
    )


def _report(rounds: list[Round], scale: Scale) -> None:
    print(
        f"\nnational: {scale.recommendations:,} recommendations, {scale.meetings} meetings, "
        f"{scale.updates:,} updates; medians of {len(rounds)} round(s)"
    )
    print(f"{'':<34} {'demo':>9} {'national':>10} {'ratio':>8}  target")
    for label, _, _ in PAGES:
        for run in ("first run", "rerun"):
            demo = _median(rounds, "demo", "pages", label, run)
            national = _median(rounds, "national", "pages", label, run)
            print(_line(f"{label}: {run}", demo, national, TARGETS[run], "s"))
    if "memory" in rounds[0]["demo"]:
        for key, label, unit in (
            ("memory", "server peak memory (VmHWM)", "MiB"),
            ("charts", "browser: open overview to charts", "s"),
        ):
            demo, national = _median(rounds, "demo", key), _median(rounds, "national", key)
            print(_line(label, demo, national, TARGETS[key], unit))
    demo = _median(rounds, "demo", "apptest_peak_mib")
    national = _median(rounds, "national", "apptest_peak_mib")
    print(f"{'(AppTest process peak RSS, MiB)':<34} {demo:>9.0f} {national:>10.0f} "
          f"{national / demo:>7.2f}x")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
