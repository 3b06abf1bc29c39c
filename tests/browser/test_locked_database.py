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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_of, holding, run_cli

from browser.browserkit import running_dashboard, screenshot, settle, sign_in

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def database(_dashboard_template: Path, tmp_path: Path) -> Path:
    return copy_of(_dashboard_template, tmp_path)


@pytest.fixture
def holder(database: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database file read-write (as a second dashboard would)."""
    with holding(database) as process:
        yield process


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
    server: str, server_database: Path, tab: Any
) -> None:
    # The shared dashboard: the refused import changes nothing.
    # The dashboard opens (and from then on holds) the file.
    sign_in(tab, server, "member", "accessibility")
    tab.get_by_role("heading", name="Accessibility statement", exact=True).wait_for()
    done = run_cli("import", "updates", str(DATA / "updates_jul.csv"), db=server_database)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    found = re.search(r"is in use by process (\d+)", done.stderr)
    assert found, done.stderr
    command_line = Path(f"/proc/{found.group(1)}/cmdline").read_bytes().split(b"\0")
    assert b"streamlit" in command_line and b"serve.py" in command_line
