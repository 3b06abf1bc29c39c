"""Presenting mode and the progress grid in a real browser, on the demo database
(`cjb-tracker init --demo`): the January 2027 Board taken in agenda order, the → and ←
keys pressed for real, every screen at 1366 x 768 and 1920 x 1080 with nothing scrolling
sideways, no text cut off and body text of at least 24 px, axe on the screens, and the
Overview's grid. Screenshots go to test-artifacts/ (present-*, progress-grid)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import copy_of

from browser.browserkit import ARTIFACTS, running_dashboard, settle
from cjb_tracker import seed

AXE = Axe()
JANUARY_2027 = "present?meeting=CJB:2027-01-13"
AGENDA = ["RAPE1-R6", "RAPE1-R11", "RAPE2-R6", "RAPE1-R3", "RAPE1-R4", "RAPE1-R12"]
SIZES = [(1366, 768), (1920, 1080)]

# What a reader cannot read in full: the page or its main block scrolling sideways, and any
# element showing text that clips what it holds (overflow hidden or clipped, or an
# ellipsis) with more inside than it shows, or that reaches past the window's edges (but
# for a table wider than the page, which scrolls sideways itself, focusable). Visually
# hidden words for screen readers (1 x 1 px, clipped on purpose) do not count.
CUT_OFF = """(root) => {
  const out = [], width = window.innerWidth;
  const main = document.querySelector('[data-testid="stMain"]');
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth)
    out.push('the page scrolls sideways');
  if (main.scrollWidth > main.clientWidth) out.push('the main block scrolls sideways');
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const closed = !sidebar || sidebar.getBoundingClientRect().right <= 0;
  for (const e of document.querySelectorAll(root)) {
    if (closed && sidebar && sidebar.contains(e)) continue;  // closed: its » button opens it
    const style = getComputedStyle(e), box = e.getBoundingClientRect();
    const text = (e.innerText || '').trim();
    if (!text || style.visibility === 'hidden' || box.width <= 1 || box.height <= 1) continue;
    const clipping = ['hidden', 'clip'];
    const clipsX = clipping.includes(style.overflowX) || style.textOverflow === 'ellipsis';
    const clipsY = clipping.includes(style.overflowY);
    const what = `${e.tagName}.${e.className} "${text.slice(0, 50)}"`;
    if (clipsX && e.scrollWidth > e.clientWidth + 1) out.push(`cut sideways: ${what}`);
    if (clipsY && e.scrollHeight > e.clientHeight + 1) out.push(`cut below: ${what}`);
    // (Inside a table wider than the page, which scrolls sideways by itself, it is reached by
    // scrolling that table.)
    const scrolled = e.parentElement.closest('.cjb-wrap, .cjb-grid-wrap');
    if (!e.childElementCount && !scrolled && (box.left < -0.5 || box.right > width + 0.5))
      out.push(`past the window: ${what} ${box.left}-${box.right}`);
  }
  return out;
}"""

# The size of every piece of text on the screen the room reads, below 24 px.
SMALL_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(
    document.querySelector('.st-key-presenting'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const e = node.parentElement, text = node.textContent.trim();
    if (!text || ['STYLE', 'SCRIPT'].includes(e.tagName)) continue;
    const box = e.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (size < 24) small.push(`${size}px: ${text.slice(0, 40)}`);
  }
  return small;
}"""


# Every box on the screen that holds text (a fact's label or value, a paragraph, a heading, a
# table cell, a button, the jump list's chosen entry) whose text is wider than the box:
# scrollWidth > clientWidth, whatever its overflow style says.
OVERFLOWING = """(root) => [...document.querySelectorAll(root)]
  .filter(e => (e.innerText || '').trim() && e.clientWidth > 0
               && e.scrollWidth > e.clientWidth + 1)
  .map(e => `${e.tagName} ${e.scrollWidth} > ${e.clientWidth}: ${e.innerText.slice(0, 40)}`)"""
PRESENTING_BOXES = ", ".join(
    f".st-key-presenting {box}"
    for box in ("dt", "dd", "p", "h1", "h2", "td", "th", "button", "[data-baseweb=select] div")
)


@pytest.fixture(scope="module")
def demo_server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard on a copy of the demo database (`cjb-tracker init --demo`)."""
    with running_dashboard(copy_of(demo_template, tmp_path_factory.mktemp("present"))) as url:
        yield url


def signed_in_tab(chromium: Any, server: str, path: str, size: tuple[int, int], role: str) -> Any:
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.goto(f"{server}/{path}")
    tab.get_by_label("Username", exact=True).fill(f"demo-{role}")
    tab.get_by_label("Password", exact=True).fill(seed.DEMO_PASSWORDS[role])
    tab.get_by_role("button", name="Sign in", exact=True).click()
    tab.get_by_text(re.compile(r"^Signed in as ")).wait_for()
    settle(tab)
    return tab


def shown_rec(tab: Any) -> str:
    return str(tab.locator(".cjb-present h1").inner_text().split(":")[0])


def wait_for_screen(tab: Any, rec: str) -> None:
    tab.wait_for_function(
        "(rec) => document.querySelector('.cjb-present h1')?.innerText.startsWith(rec + ':')",
        arg=rec,
    )
    settle(tab)


def move(tab: Any, key: str, expected: str) -> None:
    """Press a key for real, and wait for the screen it leads to."""
    tab.keyboard.press(key)
    wait_for_screen(tab, expected)


def serious(tab: Any) -> list[str]:
    violations = AXE.run(tab).response["violations"]
    return [
        f"{v['id']} ({v['impact']}) {node['target'][0]}: {node['html'][:100]}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
        for node in v["nodes"]
    ]


def test_the_january_meeting_is_run_from_presenting_mode_by_the_keys(
    demo_server: str, chromium: Any
) -> None:
    tab = signed_in_tab(chromium, demo_server, JANUARY_2027, SIZES[0], "chair")
    assert shown_rec(tab) == AGENDA[0]
    assert tab.get_by_text("1 of 6", exact=True).is_visible()
    # The chair's decision on the proposed closure is one click away.
    decide = tab.get_by_role("link", name=re.compile("Record the Board's decision on RAPE1-R6"))
    assert decide.is_visible()
    box = decide.bounding_box()  # in sight on opening, with no scrolling
    assert box is not None and box["y"] + box["height"] <= SIZES[0][1]
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "present-chair-1366x768.png"))
    seen = [shown_rec(tab)]
    for expected in AGENDA[1:]:  # → through the agenda, in its order
        move(tab, "ArrowRight", expected)
        seen.append(shown_rec(tab))
    assert seen == AGENDA
    assert tab.get_by_text("6 of 6", exact=True).is_visible()
    assert "rec=RAPE1-R12" in tab.url
    move(tab, "ArrowLeft", "RAPE1-R4")  # ← back
    move(tab, "ArrowLeft", "RAPE1-R3")
    assert tab.get_by_text("4 of 6", exact=True).is_visible()
    # The buttons do what the keys do, and the jump list goes anywhere.
    tab.get_by_role("button", name="Next →").click()
    wait_for_screen(tab, "RAPE1-R4")
    tab.locator(".st-key-present_jump").click()
    tab.get_by_role("option", name="1. RAPE1-R6 · for decision").click()
    wait_for_screen(tab, "RAPE1-R6")
    # A key pressed while the keyboard is in a field stays there: the screen does not move.
    tab.locator(".st-key-present_jump input").focus()
    tab.keyboard.press("ArrowRight")
    tab.wait_for_timeout(1_000)
    settle(tab)
    assert shown_rec(tab) == "RAPE1-R6"
    tab.keyboard.press("Escape")
    decide = tab.get_by_role("link", name=re.compile("Record the Board's decision on RAPE1-R6"))
    decide.click()
    tab.get_by_role("heading", name="Closure decisions", exact=True).wait_for()
    settle(tab)
    assert "rec=RAPE1-R6" in tab.url
    tab.context.close()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits_the_rooms_screen_and_reads_from_the_back(
    demo_server: str, chromium: Any, size: tuple[int, int]
) -> None:
    tab = signed_in_tab(chromium, demo_server, JANUARY_2027, size, "member")  # members present
    ARTIFACTS.mkdir(exist_ok=True)
    for number, rec in enumerate(AGENDA, start=1):
        if number > 1:
            move(tab, "ArrowRight", rec)
        assert shown_rec(tab) == rec
        assert tab.evaluate(CUT_OFF, '[data-testid="stApp"] *') == [], rec
        assert tab.evaluate(SMALL_TEXT) == [], rec
        assert tab.evaluate(OVERFLOWING, PRESENTING_BOXES) == [], rec
        assert tab.locator(PRESENTING_BOXES).count() > 10
        body = tab.locator(".cjb-present .written").first
        assert float(body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 24
        tab.screenshot(path=str(ARTIFACTS / f"present-{size[0]}x{size[1]}-{number}-{rec}.png"))
        assert serious(tab) == [], rec  # axe on every screen, at both sizes
    tab.context.close()


def test_the_grid_shows_each_recommendations_progress_and_opens_it(
    demo_server: str, chromium: Any
) -> None:
    tab = signed_in_tab(chromium, demo_server, "", (1366, 2400), "member")
    grid = tab.locator(".cjb-grid-wrap")
    grid.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    grid.screenshot(path=str(ARTIFACTS / "progress-grid.png"))
    tab.screenshot(path=str(ARTIFACTS / "progress-overview.png"), full_page=True)
    body = tab.inner_text("[data-testid=stMain]")
    assert (
        "3 of the 6 open recommendations have not changed status over the last four meetings "
        "of CJB (9 Jul 2025 to 14 Oct 2026): RAPE1-R3 (In progress since 13 Oct 2021), "
        "RAPE1-R4 (In progress since 14 Jul 2021), RAPE1-R11 (Awaiting national action since "
        "14 Jul 2021)." in body
    )
    # Hovering a cell shows that meeting's narrative (the cell's title, which the browser
    # shows as its tooltip); the cell says its status in a word as well as a colour.
    r6 = grid.locator("tr", has=tab.locator("a", has_text="RAPE1-R6"))
    october = r6.locator("td").last
    october.hover()
    assert october.get_attribute("title").startswith(
        "14 Oct 2026: Closure proposed (Green). The new NFA process is now standard"
    )
    shown = october.locator("[aria-hidden=true]").inner_text().replace("\n", "")
    assert shown == "CPG"  # the status's label, then the RAG's letter
    assert october.locator(".cjb-hidden").inner_text() == "Closure proposed (Green)"
    assert tab.evaluate(CUT_OFF, ".cjb-grid-wrap *") == []
    assert tab.evaluate(OVERFLOWING, ".cjb-grid-wrap td, .cjb-grid-wrap th") == []
    assert serious(tab) == []
    # Choosing a row opens the recommendation.
    with tab.context.expect_page() as opened:
        r6.locator("a").click()
    detail = opened.value
    detail.get_by_role("heading", name=re.compile(r"^RAPE1-R6: ")).wait_for()
    assert "rec=RAPE1-R6" in detail.url
    tab.context.close()


def test_the_meetings_and_overdue_tables_show_every_narrative_in_full(
    demo_server: str, chromium: Any
) -> None:
    tab = signed_in_tab(
        chromium, demo_server, "meetings?meeting=CJB:2026-10-14", (1366, 2400), "member"
    )
    for path in ("meetings?meeting=CJB:2026-10-14", "overdue"):
        if path not in tab.url:
            tab.goto(f"{demo_server}/{path}")
            settle(tab)
        cells = tab.locator('[data-testid="stHtml"] td')
        assert cells.count() > 0
        assert tab.evaluate(CUT_OFF, '[data-testid="stHtml"] *') == [], path
        # Each cell holds all its text inside its own box: nothing hidden past an edge.
        hidden = tab.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stHtml"] td')]
                .filter(td => td.scrollWidth > td.clientWidth + 1
                              || td.scrollHeight > td.clientHeight + 1)
                .map(td => td.innerText.slice(0, 40))"""
        )
        assert hidden == [], path
        tab.screenshot(path=str(ARTIFACTS / f"narratives-{path.split('?')[0]}.png"), full_page=True)
    overdue = tab.locator(".st-key-table-overdue_table td").all_inner_texts()
    assert any(
        t.startswith("The joint file-quality audit has slipped to November") for t in overdue
    )
    tab.context.close()
