"""Hostile text in what leads write (BAD-INPUTS.md items 20 and 21), in a real browser on a
real `streamlit run`: `<script>`, `javascript:` links, remote images, frames, Markdown and
formula-like cells in narratives, next steps, evidence, revision reasons and names are shown
as the literal text that was written. No script of theirs runs, no dialog opens, no link or
image is made of them, and the page asks nothing of any host but the dashboard's own.

The same holds for the HTML board pack downloaded from the Meetings page."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from helpers import copy_of

from browser.browserkit import TIMEOUT_MS, running_dashboard, screenshot, settle, sign_in
from cjb_tracker import ingest, store

OUTSIDE = "198.51.100.7"  # TEST-NET-2: never a real host
SCRIPT = "<script>window.__pwned=1</script>Forensic backlog cleared."
IMAGE = f'<img src="http://{OUTSIDE}/x.png" onerror="window.__pwned=2">'
MARKDOWN_LINK = "[click](javascript:window.__pwned=3)"
MARKDOWN_IMAGE = f"![tracking](http://{OUTSIDE}/md.png) **not bold**"
ANCHOR = '<a href="javascript:window.__pwned=4">see the plan</a>'
FRAME = f'<iframe src="http://{OUTSIDE}/frame"></iframe><svg onload="window.__pwned=5"></svg>'
FORMULA = f'=HYPERLINK("http://{OUTSIDE}/","open")'
NAME = "<b>Mallory</b>"
MEETING = "CJB:2022-01-12"
HOSTILE_ROWS = [
    {
        "recommendation_id": "RAPE1-R4",
        "meeting_date": "12/01/2022",
        "status": "In progress",
        "rag": "Amber",
        "update": f"{SCRIPT} {IMAGE}",
        "next_steps": f"{MARKDOWN_LINK} {MARKDOWN_IMAGE}",
        "revised_due_date": "30/06/2022",
        "revision_reason": ANCHOR,
        "evidence": "",
        "reported_by": NAME,
    },
    {
        "recommendation_id": "RAPE1-R2",
        "meeting_date": "12/01/2022",
        "status": "Closure proposed",
        "rag": "",
        "update": FORMULA,
        "next_steps": "@SUM(1+1) -2+3",
        "revised_due_date": "",
        "revision_reason": "",
        "evidence": FRAME,
        "reported_by": NAME,
    },
]
# What each page must show, exactly as written.
ON_DETAIL = [SCRIPT, IMAGE, MARKDOWN_LINK, MARKDOWN_IMAGE, ANCHOR, NAME]
ON_CLOSURE = [FORMULA, FRAME, "@SUM(1+1) -2+3"]


def hostile_updates() -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(HOSTILE_ROWS[0]))
    writer.writeheader()
    writer.writerows(HOSTILE_ROWS)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def hostile_server(
    _dashboard_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The fixture database plus one updates file full of hostile text, on a real dashboard."""
    db = copy_of(_dashboard_template, tmp_path_factory.mktemp("hostile"))
    con = store.connect(db)
    try:
        result = ingest.import_file(
            con, "updates", "hostile.csv", hostile_updates(), imported_by="fixture"
        )
        assert result.status == "committed", result.errors
    finally:
        con.close()
    with running_dashboard(db) as url:
        yield url


class Watch:
    """Every request a browser context makes, every dialog it opens; requests to any host
    but 127.0.0.1 are aborted and counted."""

    def __init__(self, context: Any) -> None:
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        context.route("**/*", self._route)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and (
            urlsplit(url).hostname != "127.0.0.1"
        ):
            self.outside.append(url)
            route.abort()
        else:
            route.continue_()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_quiet(self, tab: Any) -> None:
        """Nothing of theirs made into markup, run or fetched. An element made of their
        markup would be in the document as soon as it was drawn, so it is looked for there;
        the images the page does hold have finished loading first (so a fetch one of them
        made, or a handler it ran, has happened by now)."""
        tab.wait_for_function("[...document.images].every(image => image.complete)")
        assert self.outside == []
        assert not [u for u in self.requests if OUTSIDE in u]
        assert self.dialogs == []
        assert tab.evaluate("typeof window.__pwned") == "undefined"
        made = tab.evaluate(
            """() => ({
                javascript_links: document.querySelectorAll('a[href^="javascript:" i]').length,
                outside_images: [...document.images].filter(i => i.src.includes('OUTSIDE')).length,
                frames: document.querySelectorAll('iframe[src*="OUTSIDE"]').length,
                mallory_bold: [...document.querySelectorAll('b, strong')]
                    .filter(e => e.textContent === 'Mallory').length,
                their_scripts: [...document.scripts]
                    .filter(e => e.textContent.includes('__pwned')).length,
                their_handlers: [...document.querySelectorAll('*')].filter(e =>
                    [...e.attributes].some(a => a.name.startsWith('on')
                                                && a.value.includes('__pwned'))).length,
            })""".replace("OUTSIDE", OUTSIDE)
        )
        assert made == {
            "javascript_links": 0,
            "outside_images": 0,
            "frames": 0,
            "mallory_bold": 0,
            "their_scripts": 0,
            "their_handlers": 0,
        }


@pytest.fixture
def watched(chromium: Any) -> Iterator[tuple[Any, Watch]]:
    context = chromium.new_context(viewport={"width": 1400, "height": 3000}, accept_downloads=True)
    watch = Watch(context)
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    yield opened, watch
    context.close()


def visit(tab: Any, url: str, path: str, role: str = "chair") -> None:
    """Every page visit goes through here: signed in as `role` (once per browser context;
    the session cookie carries it), the page drawn to the end."""
    if any(c["name"] == "cjb_tracker_session" for c in tab.context.cookies()):
        tab.goto(f"{url}/{path}")
    else:
        sign_in(tab, url, role, path)
    settle(tab)


def test_a_recommendations_hostile_updates_show_as_written(
    hostile_server: str, watched: tuple[Any, Watch]
) -> None:
    tab, watch = watched
    visit(tab, hostile_server, "recommendations?rec=RAPE1-R4")
    tab.get_by_role("heading", name=re.compile(r"^Updates, newest first")).wait_for()
    cards = tab.locator('[data-testid="stText"]')
    for text in ON_DETAIL:
        cards.filter(has_text=text).first.wait_for()  # the literal text, in a plain-text element
    settle(tab)
    screenshot(tab, "hostile-recommendation-detail")
    watch.assert_quiet(tab)


def test_a_proposed_closures_hostile_evidence_shows_as_written(
    hostile_server: str, watched: tuple[Any, Watch]
) -> None:
    tab, watch = watched
    visit(tab, hostile_server, "recommendations?rec=RAPE1-R2")
    tab.get_by_role("heading", name=re.compile(r"^RAPE1-R2: ")).wait_for()
    settle(tab)
    body = tab.inner_text("body")
    for text in ON_CLOSURE:
        assert text in body
    visit(tab, hostile_server, "decisions")
    tab.get_by_role("heading", name="Closure decisions", exact=True).wait_for()
    settle(tab)
    screenshot(tab, "hostile-decisions")
    body = tab.inner_text("body")
    assert FRAME in body
    watch.assert_quiet(tab)


def test_the_meetings_page_and_its_html_pack_keep_hostile_text_as_text(
    hostile_server: str, watched: tuple[Any, Watch], tmp_path: Path
) -> None:
    tab, watch = watched
    visit(tab, hostile_server, f"meetings?meeting={MEETING}")
    tab.get_by_role("heading", name=re.compile(r"^What changed \(")).wait_for()
    settle(tab)
    screenshot(tab, "hostile-meetings")
    # The tables of what changed show every cell's text in full, as text.
    cells = tab.locator('[data-testid="stHtml"] td').all_inner_texts()
    for text in (f"{SCRIPT} {IMAGE}", FRAME, ANCHOR, FORMULA):
        assert text in cells
    watch.assert_quiet(tab)

    with tab.expect_download() as download:
        tab.get_by_role("link", name="Board pack (HTML)").click()
    pack = tmp_path / "pack.html"
    download.value.save_as(pack)
    html = pack.read_text(encoding="utf-8")
    for text in (SCRIPT, IMAGE, FRAME, ANCHOR, NAME):
        assert text not in html  # never written into the pack as markup
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html

    tab.goto(pack.as_uri())
    tab.wait_for_load_state("load")
    shown = tab.inner_text("body")
    assert "<script>window.__pwned=1</script>" in shown
    assert FRAME in shown
    watch.assert_quiet(tab)

    # The PDF is that HTML printed by Chromium: the same text, as text.
    visit(tab, hostile_server, f"meetings?meeting={MEETING}")
    with tab.expect_download(timeout=120_000) as download:
        tab.get_by_role("link", name="Board pack (PDF)").click(timeout=120_000)
    pdf = tmp_path / "pack.pdf"
    download.value.save_as(pdf)
    printed = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<script>window.__pwned=1</script>" in " ".join(printed.split())


def test_the_progress_grid_and_presenting_mode_keep_hostile_text_as_text(
    hostile_server: str, watched: tuple[Any, Watch]
) -> None:
    tab, watch = watched
    visit(tab, hostile_server, "")
    tab.locator(".cjb-grid-wrap").wait_for()
    r4 = tab.locator(".cjb-grid-wrap tr", has=tab.locator("a", has_text="RAPE1-R4"))
    hover = r4.locator("td").last.get_attribute("title")  # the narrative shown on hover
    # (An invisible word joiner in '</' keeps it past Streamlit's sanitiser: markup.attribute.)
    assert hover.replace("\u2060", "") == f"12 Jan 2022: In progress (Amber). {SCRIPT} {IMAGE}"
    watch.assert_quiet(tab)

    visit(tab, hostile_server, f"present?meeting={MEETING}&rec=RAPE1-R4")
    tab.locator(".cjb-present h1").wait_for()
    shown = tab.locator(".st-key-presenting").inner_text()
    for text in (f"{SCRIPT} {IMAGE}", f"{MARKDOWN_LINK} {MARKDOWN_IMAGE}", ANCHOR, NAME):
        assert text in shown
    visit(tab, hostile_server, f"present?meeting={MEETING}&rec=RAPE1-R2")
    tab.locator(".cjb-present h1", has_text="RAPE1-R2").wait_for()
    shown = tab.locator(".st-key-presenting").inner_text()
    for text in (FORMULA, FRAME, "@SUM(1+1) -2+3"):
        assert text in shown
    screenshot(tab, "hostile-present")
    tab.wait_for_timeout(1_500)
    watch.assert_quiet(tab)
