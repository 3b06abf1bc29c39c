"""Shared fixtures: real DuckDB files in tmp_path, built with the project's own code.

Each kind of database is built once per session (a template) and copied into the test's
own tmp_path: the copy is the same file the build would make, at a file copy's cost."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from helpers import FIXTURE_FILES, add_test_accounts, build_fixture_database, copy_of, run_cli

from cjb_tracker import ingest, replica, seed, store
from cjb_tracker.auth import accounts
from cjb_tracker.replica import Replica
from deploy import pgserver

DATA = Path(__file__).parent / "data"

# bcrypt at its lowest cost in the tests: a hash in 1 ms instead of 250. Production reads
# the module's own constant; only this file lowers it, in the test process. (A hash keeps
# its cost, so a browser test's server checks these test hashes as cheaply.)
accounts.BCRYPT_ROUNDS = 4


def _template(
    factory: pytest.TempPathFactory,
    name: str,
    build: Callable[[duckdb.DuckDBPyConnection], object],
) -> Path:
    """A database file built once by `build` and closed (so it is whole, with no WAL)."""
    path = factory.mktemp(name) / "tracker.duckdb"
    con = store.connect(path)
    try:
        build(con)
    finally:
        con.close()
    assert not Path(f"{path}.wal").exists()
    return path


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, "seeded", seed.init_database)


@pytest.fixture(scope="session")
def fixture_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, "fixture", build_fixture_database)


@pytest.fixture(scope="session")
def _dashboard_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, "dashboard", _build_accounts)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, "demo", lambda con: seed.init_database(con, demo=True))


@pytest.fixture(scope="session")
def meetings_and_leads_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed, the fixture's meetings and its leads and due dates (no updates yet)."""

    def build(con: duckdb.DuckDBPyConnection) -> None:
        seed.init_database(con)
        for kind, name in FIXTURE_FILES[:2]:
            result = ingest.import_path(con, kind, DATA / name, imported_by="fixture")
            assert result.status == "committed", result.errors

    return _template(tmp_path_factory, "meetings-and-leads", build)


@pytest.fixture(scope="session")
def cli_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same as meetings_and_leads_template, made through the command line."""
    db = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    assert run_cli("init", "--seed-only", db=db).returncode == 0
    for kind, name in FIXTURE_FILES[:2]:
        assert run_cli("import", kind, str(DATA / name), db=db).returncode == 0
    return db


def _opened(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = store.connect(path)
    yield con
    con.close()


# --- The same tests on PostgreSQL (issue 19) ------------------------------------------------
#
# A test module marked `pytestmark = pytest.mark.both_stores` runs each test that takes
# seeded_db, fixture_db or accounts_db twice: on a DuckDB file, and on a tracker kept in
# PostgreSQL (cjb_tracker.replica), whose connection is the local copy that a replica built
# from PostgreSQL, with every write the test makes going to PostgreSQL too.

STORES = ("duckdb", "postgres")
_BOTH = ("seeded_db", "fixture_db", "accounts_db")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_stores") and any(
        name in metafunc.fixturenames for name in _BOTH
    ):
        metafunc.parametrize("store_kind", STORES)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[pgserver.Server]:
    """PostgreSQL 15 of the test run's own (one per xdist worker), on 127.0.0.1. (As root
    the server runs as the postgres user, so its folder is not pytest's private one.)"""
    folder = Path(tempfile.mkdtemp(prefix="cjb-test-pg-"))
    folder.chmod(0o755)
    server = pgserver.start(folder / "pg")
    yield server
    pgserver.stop(folder / "pg")
    shutil.rmtree(folder, ignore_errors=True)


_PG_TEMPLATES: dict[str, str] = {}


@contextmanager
def postgres_database(
    server: pgserver.Server, name: str, build: Callable[[duckdb.DuckDBPyConnection], object]
) -> Iterator[str]:
    """A new PostgreSQL database holding a tracker, copied from a template that `build` made
    once (through Replica.create); yields its connection string, and drops it afterwards."""
    import psycopg

    if name not in _PG_TEMPLATES:
        template = f"template_{name}"
        pgserver.create_database(server, template)
        replica.Replica.create(server.database_dsn(template), build).close()
        _PG_TEMPLATES[name] = template
    database = f"test_{secrets.token_hex(6)}"
    with psycopg.connect(server.database_dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'create database "{database}" template "{_PG_TEMPLATES[name]}"')
    try:
        yield server.database_dsn(database)
    finally:
        with psycopg.connect(server.database_dsn("postgres"), autocommit=True) as admin:
            admin.execute(f'drop database if exists "{database}" with (force)')


def _postgres_copy(
    server: pgserver.Server, name: str, build: Callable[[duckdb.DuckDBPyConnection], object]
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A tracker in a new PostgreSQL database, opened as a replica opens it: the local copy
    made from what PostgreSQL holds."""
    with postgres_database(server, name, build) as dsn:
        opened = replica.Replica.open(dsn)
        yield opened.local
        opened.close()


@pytest.fixture
def postgres_tracker(postgres_server: pgserver.Server) -> Iterator[str]:
    """The fixture database with the test accounts, in a PostgreSQL database of the test's
    own: its connection string."""
    with postgres_database(postgres_server, "accounts", _build_accounts) as dsn:
        yield dsn


@pytest.fixture
def two_replicas(postgres_tracker: str) -> Iterator[tuple[Replica, Replica]]:
    """Two replicas (as two dashboard processes would hold) of one tracker in PostgreSQL."""
    first, second = Replica.open(postgres_tracker), Replica.open(postgres_tracker)
    yield first, second
    first.close()
    second.close()


@pytest.fixture
def store_kind() -> str:
    """Where the test's database lives: a DuckDB file, unless the module runs both_stores."""
    return "duckdb"


def _database(
    request: pytest.FixtureRequest,
    template: str,
    name: str,
    build: Callable[[duckdb.DuckDBPyConnection], object],
    tmp_path: Path,
) -> Iterator[duckdb.DuckDBPyConnection]:
    if request.getfixturevalue("store_kind") == "postgres":
        yield from _postgres_copy(request.getfixturevalue("postgres_server"), name, build)
    else:
        yield from _opened(copy_of(request.getfixturevalue(template), tmp_path))


def _build_accounts(con: duckdb.DuckDBPyConnection) -> None:
    build_fixture_database(con)
    add_test_accounts(con)


@pytest.fixture
def seeded_db(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The schema and the seed from the source letter, nothing else."""
    yield from _database(request, "seeded_template", "seeded", seed.init_database, tmp_path)


@pytest.fixture
def fixture_db(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The seed plus four meetings, leads and due dates for R1-R4, and two rounds of updates:
    R1 complete; R2 updated in July only; R3 never updated; R4 slipped once."""
    yield from _database(request, "fixture_template", "fixture", build_fixture_database, tmp_path)


@pytest.fixture
def fixture_db_path(fixture_template: Path, tmp_path: Path) -> Path:
    """The fixture database as a closed file, for code that opens the file itself."""
    return copy_of(fixture_template, tmp_path)


@pytest.fixture
def accounts_db(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The fixture database with one test account per role (helpers.TEST_PASSWORDS)."""
    yield from _database(request, "_dashboard_template", "accounts", _build_accounts, tmp_path)


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The demo database `make run` builds (seed.init_database with demo=True)."""
    yield from _opened(copy_of(demo_template, tmp_path, "demo.duckdb"))


@pytest.fixture
def cli_db(cli_template: Path, tmp_path: Path) -> Path:
    """The seed, meetings and leads, made through the command line, as a closed file."""
    return copy_of(cli_template, tmp_path, "cli.duckdb")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Groups for the two xdist workers (pyproject.toml: --dist loadgroup): every browser
    test in one group, run one at a time by one worker (two chromiums and two servers at
    once made pages miss their waits on a busy machine), and every other test file a group
    of its own, so a module's fixtures are made in one process."""
    for item in items:
        group = "browser" if item.path.parent.name == "browser" else item.path.stem
        item.add_marker(pytest.mark.xdist_group(group))


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


@pytest.fixture
def dashboard_db(
    _dashboard_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A copy of the fixture database with the test accounts (helpers.TEST_PASSWORDS),
    named in $CJB_TRACKER_DB for the dashboard to open."""
    path = copy_of(_dashboard_template, tmp_path)
    monkeypatch.setenv("CJB_TRACKER_DB", str(path))
    return path


@pytest.fixture
def demo_dashboard_db(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo database (demo_template), named in $CJB_TRACKER_DB for the
    dashboard to open; its accounts are demo-chair, demo-lead and demo-member."""
    path = copy_of(demo_template, tmp_path)
    monkeypatch.setenv("CJB_TRACKER_DB", str(path))
    return path
