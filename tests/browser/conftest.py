"""Fixtures for the browser tests: one dashboard server per test module on a fresh fixture
database, one chromium per module, and a fresh tall tab per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import CHROMIUM, CHROMIUM_ARGS, build_database, running_dashboard

# No skip when the browser is missing: a skipped browser test would pass CI unseen.
assert Path(CHROMIUM).exists(), (
    "Install Debian's chromium (apt-get install chromium); .ci/run does."
)

import playwright.sync_api as playwright_api  # noqa: E402  (pinned in requirements.lock)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in str(item.path.parent.name):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real dashboard on a free local port, on a fresh fixture database."""
    db = tmp_path_factory.mktemp("browser") / "tracker.duckdb"
    build_database(db)
    with running_dashboard(db) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def tab(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1400, "height": 3000})
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()
