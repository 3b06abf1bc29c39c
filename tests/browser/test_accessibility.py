"""WCAG 2.2 AA in a real browser: axe-core on every page (with data loaded and after an
upload), the upload and the navigation with the keyboard alone, and every page at 200%
zoom on a 1280-pixel-wide window. Fixtures in conftest.py, tools in browserkit.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser.browserkit import ARTIFACTS, TIMEOUT_MS, screenshot, settle, sign_in
from cjb_tracker.charts import contrast_ratio

AXE = Axe()  # axe-core 4.12.1, bundled in the package: nothing is downloaded
FAILING_IMPACTS = {"serious", "critical"}

# Serious or critical violations inside Streamlit's own widgets that cannot be fixed from
# this project: (axe rule id, CSS selector of the element) -> why. Empty: none is known.
# The minor 'presentation-role-conflict' on the file uploader's drop zone
# ([data-testid="stFileUploaderDropzone"], role="presentation" with tabindex="-1") is
# Streamlit's markup; minor, so it does not fail the scan, and the statement names it.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}

BAD_UPDATE = (
    b"recommendation_id,meeting_date,status,rag,update,evidence,reported_by\n"
    b"RAPE1-R99,12/01/2022,Finished,,Withdrawal reasons now recorded.,Audit,DS Patel\n"
)
GOOD_UPDATE = (
    b"recommendation_id,meeting_date,status,rag,update,evidence,reported_by\n"
    b"RAPE1-R1,12/01/2022,Complete,,Recording audited again.,Audit Jan 2022,DS Patel\n"
)
# (path, the page's h1) for every page the chair can open
PAGES = [
    ("", "Overview"),
    ("recommendations", "Recommendations"),
    ("recommendations?rec=RAPE1-R4", None),
    ("meetings?meeting=CJB:2021-10-13", "Meetings"),
    ("overdue", "Overdue"),
    ("outcomes", "Outcomes"),
    ("upload", "Upload"),
    ("decisions", "Closure decisions"),
    ("audit", "Audit trail"),
    ("reminders", "Reminders"),
    ("accessibility", "Accessibility statement"),
]


def open_page(tab: Any, server: str, path: str, role: str = "chair") -> None:
    """Every page visit goes through here: the first visit in a browser context signs in
    (and the page asked for opens), later ones reuse the session cookie."""
    if any(c["name"] == "cjb_tracker_session" for c in tab.context.cookies()):
        tab.goto(f"{server}/{path}")
    else:
        sign_in(tab, server, role, path)
    tab.locator("[data-testid=stMain] h1").first.wait_for()  # the page, not the sign-in form
    settle(tab)
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".every(p => p.querySelector('.main-svg'))"
    )


def axe_scan(tab: Any, name: str) -> list[dict[str, Any]]:
    """Every axe violation on the page, saved to test-artifacts/axe-{name}.json."""
    violations: list[dict[str, Any]] = AXE.run(tab).response["violations"]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(violations, indent=1))
    return violations


def failures(tab: Any, violations: list[dict[str, Any]]) -> list[str]:
    """The serious and critical violations that are not known exceptions, one line each:
    'rule (impact) selector: html'."""
    found = []
    for violation in violations:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = node["target"][0]
            if not is_known_exception(tab, violation["id"], target):
                html = node["html"][:120]
                found.append(f"{violation['id']} ({violation['impact']}) {target}: {html}")
    return found


def is_known_exception(tab: Any, rule: str, target: str) -> bool:
    """Whether the element axe names matches the selector of a known exception for the
    same rule (axe's own selectors carry Streamlit's generated class names, so the match
    is made on the element, not on the selector text)."""
    selectors = [sel for (known_rule, sel) in KNOWN_EXCEPTIONS if known_rule == rule]
    return any(
        tab.evaluate("([t, s]) => !!document.querySelector(t)?.matches(s)", [target, selector])
        for selector in selectors
    )


def impact_counts(violations: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for violation in violations:
        counts[violation["impact"]] = counts.get(violation["impact"], 0) + len(violation["nodes"])
    return counts


def css_hex(rgb: str) -> str:
    """'rgb(11, 12, 12)' -> '#0B0C0C'."""
    return "#" + "".join(f"{int(n):02X}" for n in re.findall(r"\d+", rgb)[:3])


def upload_file(tab: Any, path: Path) -> None:
    tab.locator("input[type=file]").set_input_files(str(path))


# --- Charts: title, one-sentence summary, numbers as a table ---------------------------


def test_every_chart_has_a_title_a_summary_and_its_numbers(server: str, tab: Any) -> None:
    open_page(tab, server, "")
    tab.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3"
    )
    settle(tab)
    charts = tab.locator(".js-plotly-plot")
    assert charts.count() == 3
    titles = [t.text_content() for t in tab.locator(".js-plotly-plot .gtitle").all()]
    assert titles == [
        "Status as at each meeting: recommendations in each status",
        "Status by addressee: recommendations in each status",
        "Delivery confidence (RAG) of the open recommendations",
    ]
    # The words drawn in the charts, as the browser drew them (after Streamlit's chart
    # theme): 4.5:1 against the white background.
    fills = tab.evaluate(
        """() => [...document.querySelectorAll(
            '.js-plotly-plot .gtitle, .js-plotly-plot .xtick text, .js-plotly-plot .ytick text,'
            + '.js-plotly-plot .xtitle, .js-plotly-plot .ytitle, .js-plotly-plot .legendtext')]
            .map(e => getComputedStyle(e).fill)"""
    )
    assert len(fills) > 20
    for fill in set(fills):
        assert contrast_ratio(css_hex(fill), "#FFFFFF") >= 4.5, fill
    body = tab.inner_text("body")
    for summary in [
        "At the latest of 3 meetings shown (12 Jan 2022), 1 of 13 recommendations was "
        "Complete; 11 were Not started and 1 Awaiting national action.",
        "The most open recommendations are addressed to Police forces (7 of 8); counted "
        "once per addressee, 2 of the 13 open for national addressees are Awaiting national "
        "action.",
        "Of 12 open recommendations, 1 is Red (off track), 1 Amber (at risk) and 10 No RAG given.",
    ]:
        assert summary in body
    assert body.count("The numbers in the chart above") == 3
    for key in ("status_by_meeting", "status_by_addressee", "rag_mix"):
        assert tab.locator(f".st-key-table-{key}_numbers [data-testid='stDataFrame']").count()


# --- axe-core on every page -----------------------------------------------------------


def test_the_sign_in_page_has_no_serious_violation(server: str, tab: Any) -> None:
    tab.goto(server)
    tab.get_by_role("heading", name="Sign in", exact=True).wait_for()
    settle(tab)
    violations = axe_scan(tab, "sign-in")
    assert failures(tab, violations) == [], impact_counts(violations)


def test_every_page_with_data_loaded_has_no_serious_violation(server: str, tab: Any) -> None:
    found = {}
    for path, heading in PAGES:
        open_page(tab, server, path)
        if heading:
            tab.get_by_role("heading", name=heading, exact=True).wait_for()
        name = path.split("?")[0] or "overview"
        if "rec=" in path:
            name = "recommendation-detail"
        violations = axe_scan(tab, name)
        found[name] = failures(tab, violations)
    assert found == {name: [] for name in found}


def test_the_upload_page_at_each_step_has_no_serious_violation(
    writable_server: str, tab: Any, tmp_path: Path
) -> None:
    server = writable_server  # it commits an update: not on the shared server
    (tmp_path / "bad.csv").write_bytes(BAD_UPDATE)
    (tmp_path / "good.csv").write_bytes(GOOD_UPDATE)
    open_page(tab, server, "upload")
    upload_file(tab, tmp_path / "bad.csv")
    tab.get_by_text(re.compile(r"problem\(s\): nothing can be written")).wait_for()
    settle(tab)
    steps = {"upload-problems": failures(tab, axe_scan(tab, "upload-problems"))}
    upload_file(tab, tmp_path / "good.csv")
    tab.get_by_text("The file is valid: 1 row(s) ready to commit.").wait_for()
    settle(tab)
    steps["upload-preview"] = failures(tab, axe_scan(tab, "upload-preview"))
    tab.get_by_role("button", name="Commit").click()
    tab.get_by_text(re.compile(r"Committed as batch \d+")).wait_for()
    settle(tab)
    steps["upload-committed"] = failures(tab, axe_scan(tab, "upload-committed"))
    open_page(tab, server, "")  # the overview with the upload in it
    steps["overview-after-upload"] = failures(tab, axe_scan(tab, "overview-after-upload"))
    assert steps == {step: [] for step in steps}


def test_the_scan_fails_on_a_violation_put_into_the_page(
    server: str, tab: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check above can fail: pale text and an unlabelled image, added to a real page,
    # are caught by rule and element.
    open_page(tab, server, "accessibility")
    tab.evaluate(
        """() => {
        const title = document.querySelector('[data-testid="stMain"] [data-testid="stHeading"]');
        title.insertAdjacentHTML('afterend',
          '<p id="pale" style="color:#BBBBBB;background:#FFFFFF">Pale words</p>' +
          '<img id="bare" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">');
        }"""
    )
    violations = axe_scan(tab, "planted")
    found = failures(tab, violations)
    assert any(line.startswith("color-contrast (serious) #pale") for line in found), found
    assert any(line.startswith("image-alt (critical) #bare") for line in found), found
    # A known exception is matched by rule and element: it leaves the other one standing.
    monkeypatch.setitem(KNOWN_EXCEPTIONS, ("image-alt", "main img[src^='data:']"), "a test")
    assert [line.split(" ")[0] for line in failures(tab, violations)] == ["color-contrast"]


# --- Keyboard alone ---------------------------------------------------------------------


def tab_to(tab: Any, matches: str, limit: int = 80) -> int:
    """Press Tab until the focused element satisfies the JavaScript predicate `matches`
    (called with the element); the number of presses. Fails when it is not reached."""
    for presses in range(1, limit + 1):
        tab.keyboard.press("Tab")
        if tab.evaluate(f"(e => ({matches}))(document.activeElement)"):
            return presses
    raise AssertionError(f"Tab never reached an element where {matches}")


def focused_name(tab: Any) -> str:
    return str(
        tab.evaluate(
            "(e => e.getAttribute('aria-label') || e.innerText || e.value || '')"
            "(document.activeElement)"
        )
    ).strip()


# The uploader's button that opens the file dialog ('Upload', then 'Add files' once a file
# is chosen), not the chosen file's 'Remove' button.
BROWSE_BUTTON = (
    "e.tagName === 'BUTTON' && !!e.closest('[data-testid=stFileUploaderDropzone]')"
    " && !e.closest('[data-testid=stFileChip]')"
)


def choose_file_by_keyboard(tab: Any, path: Path, limit: int, tries: int = 3) -> None:
    """Tab to the uploader's button and press Space: the system's file dialog opens, and
    `path` is chosen in it. (Enter on the button does not: Streamlit's drop zone swallows
    it. Reported in the statement.) Now and then a press opens nothing: once in CI, once
    in a full local run, never when this test ran alone (10 runs), the second time with
    the focus still on the button. So it is tried again, up to `tries` times; a button
    that Space does not work on fails every time."""
    missed = []
    for _ in range(tries):
        tab_to(tab, BROWSE_BUTTON, limit=limit)
        try:
            with tab.expect_file_chooser(timeout=8_000) as dialog:
                tab.keyboard.press("Space")
        except PlaywrightTimeout:
            kept = tab.evaluate(f"(e => ({BROWSE_BUTTON}))(document.activeElement)")
            missed.append("the button kept the focus" if kept else "the focus had moved")
            settle(tab)
            continue
        dialog.value.set_files(str(path))
        return
    raise AssertionError(f"Space on the uploader button opened no file dialog: {missed}")


def test_upload_and_navigation_work_with_the_keyboard_alone(
    writable_server: str, tab: Any, tmp_path: Path
) -> None:
    server = writable_server  # it commits an update: not on the shared server
    (tmp_path / "bad.csv").write_bytes(BAD_UPDATE)
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD_UPDATE.replace(b"RAPE1-R1,", b"RAPE1-R3,"))
    # Sign in by typing: username, Tab, password, Enter.
    tab.goto(server)
    tab.get_by_role("heading", name="Sign in", exact=True).wait_for()
    settle(tab)
    tab_to(tab, "e.getAttribute('aria-label') === 'Username' || e.id && "
           "document.querySelector(`label[for='${e.id}']`)?.innerText === 'Username'")  # fmt: skip
    tab.keyboard.type("chair")
    tab.keyboard.press("Tab")
    tab.keyboard.type("chair-test-password")
    tab.keyboard.press("Enter")
    tab.get_by_role("heading", name="Overview", exact=True).wait_for()
    settle(tab)

    # To the upload page by its link in the sidebar (past the Overview's content: its progress
    # grid has a link per recommendation).
    tab_to(tab, "e.matches('[data-testid=stPageLink] a') && e.innerText.trim() === 'Upload'",
           limit=200)  # fmt: skip
    tab.keyboard.press("Enter")
    tab.get_by_role("heading", name="Upload", exact=True).wait_for()
    settle(tab)

    # Choose a file: Space on the uploader's button opens the system's file dialog.
    choose_file_by_keyboard(tab, tmp_path / "bad.csv", limit=80)
    tab.get_by_text(re.compile(r"problem\(s\): nothing can be written")).wait_for()
    settle(tab)
    # Read the problems: the table of problems takes focus (it scrolls sideways when it is
    # wider than the page), and its cells hold each problem's whole sentence.
    tab_to(tab, "!!e.closest('.st-key-table-upload_errors')")
    cells = tab.locator(".st-key-table-upload_errors td").all_text_contents()
    assert "No recommendation 'RAPE1-R99' is held. Check the id against the template." in cells
    assert any(c.startswith("'Finished' is not a status.") for c in cells), cells
    assert tab.get_by_role("button", name="Commit").is_disabled()
    screenshot(tab, "a11y-keyboard-problems")

    # A corrected file, chosen the same way, then Commit by the keyboard.
    choose_file_by_keyboard(tab, good, limit=200)
    tab.get_by_text("The file is valid: 1 row(s) ready to commit.").wait_for()
    settle(tab)
    tab_to(tab, "e.tagName === 'BUTTON' && e.innerText.trim() === 'Commit'", limit=200)
    tab.keyboard.press("Enter")
    tab.get_by_text(re.compile(r"Committed as batch \d+")).wait_for()
    settle(tab)
    screenshot(tab, "a11y-keyboard-committed")

    # And back to the overview by the keyboard.
    tab_to(tab, "e.matches('[data-testid=stPageLink] a') && e.innerText.trim() === 'Overview'",
           limit=200)  # fmt: skip
    tab.keyboard.press("Enter")
    tab.get_by_role("heading", name="Overview", exact=True).wait_for()


# --- 200% zoom ----------------------------------------------------------------------------


def test_every_page_at_200_percent_zoom_cuts_nothing_off(server: str, chromium: Any) -> None:
    # A 1280-pixel-wide window at 200% zoom lays pages out 640 CSS pixels wide with two
    # device pixels per CSS pixel: that is what browser zoom does (window.innerWidth and
    # devicePixelRatio are the same as with Ctrl + at 200%). Each page is then made as tall
    # as its content, so the screenshot holds all of it (Streamlit scrolls inside its main
    # block); a taller window does not change the width things have to fit in.
    context = chromium.new_context(viewport={"width": 640, "height": 1600}, device_scale_factor=2)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    try:
        for path, heading in PAGES:
            tab.set_viewport_size({"width": 640, "height": 1600})
            open_page(tab, server, path)
            if heading:
                tab.get_by_role("heading", name=heading, exact=True).wait_for()
            name = "recommendation-detail" if "rec=" in path else (path or "overview")
            whole = tab.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
            tab.set_viewport_size({"width": 640, "height": min(int(whole) + 50, 9000)})
            settle(tab)
            assert tab.evaluate("window.innerWidth") == 640
            assert cut_off(tab) == [], name
            screenshot(tab, f"a11y-zoom-200-{name.split('?')[0]}")
        # The navigation is one button away: the collapsed sidebar opens and its links fit.
        tab.get_by_test_id("stExpandSidebarButton").click()
        links = tab.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]')
        links.get_by_text("Accessibility", exact=True).wait_for()
        tab.wait_for_function(  # the sidebar has finished sliding in
            "document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().left >= 0"
        )
        for box in [link.bounding_box() for link in links.all()]:
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 640
        screenshot(tab, "a11y-zoom-200-navigation")
    finally:
        context.close()


def cut_off(tab: Any) -> list[str]:
    """What sticks out of the 640-pixel width: the page scrolling sideways, any heading,
    paragraph, button, metric or chart past the right edge, a chart title wider than its
    chart or covered by its legend."""
    return list(
        tab.evaluate(
            """() => {
            const width = window.innerWidth, out = [];
            const main = document.querySelector('[data-testid="stMain"]');
            if (document.documentElement.scrollWidth > width) out.push('page scrolls sideways');
            if (main.scrollWidth > main.clientWidth) out.push('main block scrolls sideways');
            const selector = 'h1, h2, h3, p, button, [data-testid="stMetric"], .js-plotly-plot';
            for (const e of main.querySelectorAll(selector)) {
              const box = e.getBoundingClientRect();
              if (box.width && (box.left < 0 || box.right > width + 0.5))
                out.push(`${e.tagName} "${e.innerText.slice(0, 40)}" ${box.left}-${box.right}`);
            }
            for (const plot of main.querySelectorAll('.js-plotly-plot')) {
              const svg = plot.querySelector('.main-svg'), title = plot.querySelector('.gtitle');
              if (title && title.getBBox().x + title.getBBox().width > svg.clientWidth)
                out.push(`chart title cut off: ${title.textContent}`);
              const legend = plot.querySelector('.legend');
              if (title && legend) {
                const t = title.getBoundingClientRect(), l = legend.getBoundingClientRect();
                if (l.top < t.bottom && t.top < l.bottom && l.left < t.right && t.left < l.right)
                  out.push(`chart legend covers the title: ${title.textContent}`);
              }
            }
            return out;
            }"""
        )
    )


# --- The statement ----------------------------------------------------------------------


def test_the_accessibility_page_holds_the_statement_in_the_model_form(
    server: str, tab: Any
) -> None:
    open_page(tab, server, "accessibility", role="member")  # every role can read it
    headings = [
        h.inner_text().strip() for h in tab.locator("[data-testid=stMain] h1, h2, h3").all()
    ]
    for heading in [
        "Accessibility statement",
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ]:
        assert heading in headings, headings
    text = tab.inner_text("[data-testid=stMain]")
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "This statement was prepared on 29 November 2026." in text
    # Each page has its own title (test_browser.test_every_page_renders checks them all).
    assert "tell the pages apart by their titles in the browser tab" in text
    assert "same title" not in text
