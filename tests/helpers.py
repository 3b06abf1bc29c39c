"""Small helpers the tests share."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
from streamlit.testing.v1 import AppTest

from cjb_tracker import auth, ingest, seed, session_store, store

ROOT = Path(__file__).parents[1]
DATA = ROOT / "tests" / "data"
# The fixture database (conftest.fixture_db): the files imported after the seed, in order.
FIXTURE_FILES = [
    ("meetings", "meetings.csv"),
    ("recommendations", "leads.csv"),
    ("updates", "updates_jul.csv"),
    ("updates", "updates_oct.csv"),
]

# The test accounts (add_test_accounts): username = role. The lead leads DS Patel's
# recommendations in tests/data/leads.csv (RAPE1-R1 and RAPE1-R3).
TEST_PASSWORDS = {
    "chair": "chair-test-password",
    "lead": "lead-test-password",
    "member": "member-test-password",
}
TEST_LEAD_NAME = "DS Patel"


def build_fixture_database(con: duckdb.DuckDBPyConnection) -> None:
    """The seed plus the fixture files (FIXTURE_FILES), on an empty database."""
    seed.init_database(con)
    for kind, name in FIXTURE_FILES:
        result = ingest.import_path(con, kind, DATA / name, imported_by="fixture")
        assert result.status == "committed", result.errors


def copy_of(template: Path, folder: Path, name: str = "tracker.duckdb") -> Path:
    """A copy of a template database (conftest.py builds each once) in a folder of its own."""
    path = folder / name
    shutil.copyfile(template, path)
    return path


def run_cli(
    *args: str,
    db: Path | str | None = None,
    stdin: str = "",
    timeout: float = 180,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m cjb_tracker ARGS [--db DB]` in a process of its own, as the secretariat
    runs it (from the project's folder); its exit code and output."""
    command = [sys.executable, "-m", "cjb_tracker", *args]
    if db is not None:
        command += ["--db", str(db)]
    return subprocess.run(
        command, capture_output=True, text=True, input=stdin, cwd=ROOT, timeout=timeout,
        env=None if env is None else {**os.environ, **env},
    )  # fmt: skip


@contextmanager
def holding(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database file read-write (as a second dashboard would)
    until the block ends: it opens the file, says so, and waits for its input to close."""
    process = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, sys; c = duckdb.connect({str(db)!r}); print('ready', flush=True); "
         "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield process
    finally:
        process.kill()
        process.wait()


def add_test_accounts(con: duckdb.DuckDBPyConnection) -> None:
    """One account per role, added the way the chair adds them."""
    chair = auth.operator("test set-up")
    for role, password in TEST_PASSWORDS.items():
        auth.add_user(
            con,
            chair,
            role,
            f"Test {role.capitalize()}",
            role,
            password=password,
            lead_names=(TEST_LEAD_NAME,) if role == "lead" else (),
        )


def sign_in(at: AppTest, role: str = "chair") -> AppTest:
    """Start an AppTest session signed in as the test account of this role (the session
    the sign-in page would have made, in the database $CJB_TRACKER_DB names); the account
    must be in the database."""
    con = store.connect()
    try:
        at.session_state[auth.SESSION_KEY] = session_store.start(con, role, "password", "local")
    finally:
        con.close()
    return at


TABLES = (
    "bodies",
    "report_records",
    "recommendation_records",
    "addressee_records",
    "meeting_records",
    "updates",
    # Derived from the records, so a rejected file must leave them alone too.
    "current_recommendations",
    "positions",
    "reported_to",
)


def in_postgres(dsn: str, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    """The rows a statement returns, asked of PostgreSQL itself (not a replica's copy)."""
    import psycopg  # only the PostgreSQL tests need it

    with psycopg.connect(dsn) as con:
        # No parameters: the statement is sent as it is (a LIKE '...%' stays a pattern).
        return (con.execute(sql, params) if params else con.execute(sql)).fetchall()


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every data table (not import_batches, which records rejections too)."""
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    """Every row that the views show, for exact before/after comparisons."""
    views = {
        "current_status": "select * exclude (as_at) from current_status order by rec_id",
        "recommendations": "select * from recommendations order by rec_id",
        "addressees": "select * from recommendation_addressees order by rec_id, position",
        "meetings": "select * from meetings order by meeting_id",
        "effective_updates": "select * from effective_updates order by update_id",
        "reports": "select * from reports order by report_code",
    }
    return {name: con.execute(sql).fetchall() for name, sql in views.items()}


class _TableReader(HTMLParser):
    """The header and the cells of the first HTML table, as a reader sees them: the text
    of visually hidden parts (class cjb-hidden: words for screen readers) left out."""

    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._cell: list[str] | None = None
        self._in_head = False
        self._hidden = 0  # depth inside a hidden element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._hidden or "cjb-hidden" in classes:
            self._hidden += tag != "br"
            return
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            self._hidden -= tag != "br"
            return
        if tag == "thead":
            self._in_head = False
        elif tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell)
            (self.header if self._in_head else self.rows[-1]).append(text)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def read_html_table(markup: str) -> tuple[pd.DataFrame, list[str]]:
    """An HTML table (cjb_tracker.markup) as a reader sees it: a frame of the cells' shown
    text under the shown column names, and the links in it."""
    reader = _TableReader()
    reader.feed(markup)
    return pd.DataFrame(reader.rows, columns=reader.header), reader.links
