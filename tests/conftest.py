"""Shared fixtures: real DuckDB files in tmp_path, built with the project's own code."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from helpers import add_test_accounts

from cjb_tracker import ingest, seed, store

DATA = Path(__file__).parent / "data"
FIXTURE_FILES = [
    ("meetings", "meetings.csv"),
    ("recommendations", "leads.csv"),
    ("updates", "updates_jul.csv"),
    ("updates", "updates_oct.csv"),
]


@pytest.fixture
def seeded_db(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The schema and the seed from the source letter, nothing else."""
    con = store.connect(tmp_path / "tracker.duckdb")
    seed.init_database(con)
    yield con
    con.close()


@pytest.fixture
def fixture_db(seeded_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The seed plus four meetings, leads and due dates for R1-R4, and two rounds of updates:
    R1 complete; R2 updated in July only; R3 never updated; R4 slipped once."""
    for kind, name in FIXTURE_FILES:
        result = ingest.import_path(seeded_db, kind, DATA / name, imported_by="fixture")
        assert result.status == "committed", result.errors
    return seeded_db


@pytest.fixture
def fixture_db_path(fixture_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> Path:
    """The fixture database closed, for code that opens the file itself."""
    fixture_db.close()
    return tmp_path / "tracker.duckdb"


# --- Dashboard (issue 3): a database file for the pages, and clean Streamlit caches ------


@pytest.fixture(autouse=True)
def clear_streamlit_caches() -> Iterator[None]:
    """Every test starts and ends with no cached connection or query result, so a page
    never shows another test's database (clearing the resource cache closes it)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def _dashboard_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database with the test accounts, built once (bcrypt is slow on purpose)."""
    path = tmp_path_factory.mktemp("template") / "tracker.duckdb"
    con = store.connect(path)
    seed.init_database(con)
    for kind, name in FIXTURE_FILES:
        result = ingest.import_path(con, kind, DATA / name, imported_by="fixture")
        assert result.status == "committed", result.errors
    add_test_accounts(con)
    con.close()
    return path


@pytest.fixture
def dashboard_db(
    _dashboard_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A copy of the fixture database with the test accounts (helpers.TEST_PASSWORDS),
    named in $CJB_TRACKER_DB for the dashboard to open."""
    path = tmp_path / "tracker.duckdb"
    shutil.copyfile(_dashboard_template, path)
    monkeypatch.setenv("CJB_TRACKER_DB", str(path))
    return path
