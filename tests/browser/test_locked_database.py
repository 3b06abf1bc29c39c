"""A database file held by another process (BAD-INPUTS.md item 26), seen both ways in a real
browser and a real `streamlit run`:

- another process holds the file when the dashboard starts: the page says plainly that the
  database is in use and by which process, with no traceback; the server keeps serving, and
  once the other process lets go the next visit signs in as usual;
- the running dashboard holds the file: the command line names the dashboard's process.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import build_database, running_dashboard, screenshot, settle, sign_in

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    db = tmp_path / "tracker.duckdb"
    build_database(db)
    return db


@pytest.fixture
def holder(database: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database file read-write (as a second dashboard would)."""
    process = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(database)!r}); "
         "print('ready', flush=True); time.sleep(600)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield process
    finally:
        process.kill()
        process.wait()


def open_page(tab: Any, url: str, path: str = "") -> None:
    """Every visit goes through here: the page at url/path, drawn to the end."""
    tab.goto(f"{url}/{path}")
    settle(tab)


def assert_no_traceback(tab: Any) -> None:
    body = tab.inner_text("body")
    assert "Traceback" not in body
    assert "IO Error" not in body and "Could not set lock" not in body  # DuckDB's own words
    assert tab.locator('[data-testid="stException"]').count() == 0


def test_the_page_says_the_database_is_in_use_and_recovers_when_it_is_let_go(
    database: Path, holder: subprocess.Popen[str], tab: Any
) -> None:
    in_use = f"The database {database} is in use by process {holder.pid}"
    with running_dashboard(database) as url:
        for path in ("", "recommendations?rec=RAPE1-R4", ""):  # first visit, a link, a reload
            open_page(tab, url, path)
            alert = tab.locator('[data-testid="stAlertContentError"]')
            alert.get_by_text(in_use).wait_for()
            assert_no_traceback(tab)
        assert "Stop that process or wait for it to finish, then try again." in alert.inner_text()
        screenshot(tab, "locked-database")

        holder.kill()  # the other process lets go
        holder.wait()
        sign_in(tab, url, "chair", "recommendations?rec=RAPE1-R4")
        tab.get_by_role("heading", name=re.compile("^RAPE1-R4: ")).wait_for()
        settle(tab)
        assert_no_traceback(tab)
        assert "in use by process" not in tab.inner_text("body")


def test_the_command_line_names_the_dashboard_that_holds_the_database(
    database: Path, tab: Any
) -> None:
    with running_dashboard(database) as url:
        sign_in(tab, url, "member")  # the dashboard opens (and from now holds) the file
        tab.get_by_role("heading", name="Overview").wait_for()
        done = subprocess.run(
            [sys.executable, "-m", "cjb_tracker", "import", "updates",
             str(DATA / "updates_jul.csv"), "--db", str(database)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        found = re.search(r"is in use by process (\d+)", done.stderr)
        assert found, done.stderr
        command_line = Path(f"/proc/{found.group(1)}/cmdline").read_bytes().split(b"\0")
        assert b"streamlit" in command_line and b"dashboard.py" in command_line
