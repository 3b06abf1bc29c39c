"""Outcome measures in a real browser, on the demo database `make run` builds (issue 18): a
Board member opens RAPE1-R4 and sees beside its history whether the measures it was meant
to move have moved, here and nationally, every figure marked illustrative; the chair's
Outcomes page lists every measure with its charts; axe-core finds no serious or critical
violation on either. Full-page screenshots go to test-artifacts/ to be looked at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser.browserkit import running_dashboard, screenshot, settle
from cjb_tracker import seed, store

AXE = Axe()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("outcomes-demo") / "tracker.duckdb"
    con = store.connect(db)
    seed.init_database(con, demo=True)
    con.close()
    with running_dashboard(db) as url:
        yield url


def open_as(chromium: Any, url: str, role: str, path: str) -> Any:
    context = chromium.new_context(viewport={"width": 1400, "height": 7000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(f"{url}/{path}")
    tab.get_by_label("Username", exact=True).fill(f"demo-{role}")
    tab.get_by_label("Password", exact=True).fill(seed.DEMO_PASSWORDS[role])
    tab.get_by_role("button", name="Sign in", exact=True).click()
    tab.get_by_text(re.compile(r"^Signed in as ")).wait_for()
    return tab


def charts_drawn(tab: Any, count: int) -> None:
    tab.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}"
    )
    settle(tab)


def serious(tab: Any) -> list[str]:
    violations = AXE.run(tab).response["violations"]
    return [
        f"{v['id']} {node['target'][0]}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
        for node in v["nodes"]
    ]


def test_a_member_sees_what_rape1_r4s_measures_did_here_and_nationally(
    demo_server: str, chromium: Any
) -> None:
    tab = open_as(chromium, demo_server, "member", "recommendations?rec=RAPE1-R4")
    tab.get_by_role("heading", name="Outcome measures it is meant to move").wait_for()
    charts_drawn(tab, 4)  # the status timeline and one chart per linked measure
    body = tab.inner_text("body")
    assert (
        "Since RAPE1-R4 was first reported (14 Jul 2021), the charge rate (Adult rape) in "
        "Cambridgeshire rose from 4% to 10% (better; the way it was meant to move); nationally "
        "(England and Wales) it rose from 4% to 8%." in body
    )
    assert "the median days from report to charge (Adult rape) in Cambridgeshire fell" in body
    assert body.count("Illustrative figures, made up for the demo: not published statistics.") == 3
    titles = [t.text_content() for t in tab.locator(".js-plotly-plot .gtitle").all()]
    assert titles[1:] == [
        "Charge rate (Adult rape): each area over time (ILLUSTRATIVE figures, not published)",
        "Files meeting the national file standard: each area over time (ILLUSTRATIVE figures, "
        "not published)",
        "Median days from report to charge (Adult rape): each area over time (ILLUSTRATIVE "
        "figures, not published)",
    ]
    # The milestones on the time axis, the one compared from named.
    assert "Compared from: First reported 14 Jul 2021" in tab.inner_text(".js-plotly-plot >> nth=1")
    assert serious(tab) == []
    screenshot(tab, "18-rape1-r4-outcome-measures")
    tab.context.close()


def test_the_chair_sees_every_measure_on_the_outcomes_page(demo_server: str, chromium: Any) -> None:
    tab = open_as(chromium, demo_server, "chair", "outcomes")
    tab.get_by_role("heading", name="Outcomes", exact=True).wait_for()
    charts_drawn(tab, 4)
    body = tab.inner_text("body")
    for measure in (
        "Charge rate (Adult rape)",
        "Median days from report to charge (Adult rape)",
        "Victim withdrawal rate (Adult rape)",
        "Files meeting the national file standard",
    ):
        assert measure in body
    assert "10% in Jul - Sep 2026, up 1 percentage point since Jul - Sep 2025 (better" in body
    assert tab.title() == "Outcomes · CJB recommendations tracker"
    assert serious(tab) == []
    screenshot(tab, "18-outcomes")
    tab.context.close()
