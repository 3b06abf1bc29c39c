"""The demo database that `make run` builds: each demo account signs in with the password
the README and the sign-in page give, and sees its role's navigation; the chair records the
Board's decision on the closure the demo's lead proposed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_of

from browser.browserkit import NAVIGATION, TIMEOUT_MS, running_dashboard, screenshot, settle
from cjb_tracker import seed


@pytest.fixture(scope="module")
def demo_server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo database (seed.init_database with demo=True, made once: conftest.py) on a
    dashboard of its own: the last test records a decision."""
    db = copy_of(demo_template, tmp_path_factory.mktemp("demo"))
    with running_dashboard(db) as url:
        yield url


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_each_demo_account_signs_in_and_sees_its_navigation(
    demo_server: str, chromium: Any, role: str
) -> None:
    context = chromium.new_context(viewport={"width": 1400, "height": 1400})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    # Signed in on the lightest page: the navigation and the banner are on every page.
    tab.goto(f"{demo_server}/accessibility")
    tab.get_by_role("heading", name="Sign in", exact=True).wait_for()
    listed = tab.get_by_text("Demo accounts (illustrative data only")
    listed.wait_for()
    password = seed.DEMO_PASSWORDS[role]
    assert f"username demo-{role}, password {password}" in tab.inner_text("body")
    tab.get_by_label("Username", exact=True).fill(f"demo-{role}")
    tab.get_by_label("Password", exact=True).fill(password)
    tab.get_by_role("button", name="Sign in", exact=True).click()
    links = tab.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    links.get_by_text(NAVIGATION[role][-1], exact=True).wait_for()
    settle(tab)
    assert links.all_inner_texts() == NAVIGATION[role]
    assert "illustrative demo data" in tab.inner_text("body")
    screenshot(tab, f"0-demo-{role}")
    context.close()


def test_the_chair_records_the_boards_decision_on_the_proposed_closure(
    demo_server: str, chromium: Any
) -> None:
    context = chromium.new_context(viewport={"width": 1400, "height": 2000})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.goto(f"{demo_server}/decisions")
    tab.get_by_label("Username", exact=True).fill("demo-chair")
    tab.get_by_label("Password", exact=True).fill(seed.DEMO_PASSWORDS["chair"])
    tab.get_by_role("button", name="Sign in", exact=True).click()
    tab.get_by_role("heading", name="Waiting for a decision (1)").wait_for()
    settle(tab)
    record = tab.get_by_role("button", name="Record the decision")

    record.click()  # accepted, but no minute given
    refusal = tab.get_by_text("Give the minute reference of the Board's decision to accept.")
    refusal.wait_for()
    assert tab.get_by_role("heading", name="Waiting for a decision (1)").is_visible()

    settle(tab)
    tab.get_by_label("Minute reference (when accepted)").fill("CJB/2026/11/7")
    record.click()
    recorded = tab.get_by_text(re.compile(r"^Recorded as batch \d+: the closure of RAPE1-R6"))
    recorded.wait_for()
    assert "was accepted; it is Complete." in recorded.inner_text()
    tab.get_by_role("heading", name="Waiting for a decision (0)").wait_for()
    settle(tab)
    screenshot(tab, "0-demo-decision-recorded")

    tab.goto(f"{demo_server}/recommendations?rec=RAPE1-R6")
    decision = tab.get_by_text(re.compile(r"^Board decision · "))
    decision.first.wait_for()
    assert "CJB/2026/11/7" in tab.inner_text("body")
    context.close()
