"""Fixtures for the browser tests: one chromium per module, a fresh tall tab per test,
and real dashboard servers on copies of the fixture database (tests/conftest.py builds it
once): one shared by every test that changes nothing another test reads, and a server of
its own for each module whose tests write (uploads, decisions)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_of

from browser.browserkit import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, running_dashboard

# No skip when the browser is missing: a skipped browser test would pass CI unseen.
assert Path(CHROMIUM).exists(), (
    "Install Debian's chromium (apt-get install chromium); .ci/run does."
)

import playwright.sync_api as playwright_api  # noqa: E402  (pinned in requirements.lock)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in str(item.path.parent.name):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server_database(_dashboard_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared server's database file (the fixture database with the test accounts)."""
    return copy_of(_dashboard_template, tmp_path_factory.mktemp("shared-server"))


@pytest.fixture(scope="session")
def server(server_database: Path) -> Iterator[str]:
    """A real dashboard on a free local port, shared by every browser test that only reads:
    signing in and looking change nothing another test reads. A test that uploads, decides
    or undoes uses `writable_server` instead."""
    with running_dashboard(server_database) as url:
        yield url


@pytest.fixture(scope="module")
def writable_server(
    _dashboard_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A real dashboard on a database of this module's own, for its tests that write."""
    db = copy_of(_dashboard_template, tmp_path_factory.mktemp("writable-server"))
    with running_dashboard(db) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Chromium, once per module (half a second to start). Not once per session: the pack
    tests print PDFs with a Playwright of their own, which cannot start in the same thread
    while this one runs."""
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def tab(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1400, "height": 3000})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    yield opened
    context.close()
