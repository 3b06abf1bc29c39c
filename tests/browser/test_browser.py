"""What only a browser shows: a real `streamlit run` on a temporary database, driven by
Playwright with Debian's chromium. Full-page screenshots of every page go to
test-artifacts/ (git-ignored) for a person to look at."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cjb_tracker import ingest, seed, store

pytestmark = pytest.mark.browser
import playwright.sync_api as playwright_api  # noqa: E402  (pinned in requirements.lock)

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
FIXTURE_FILES = [
    ("meetings", "meetings.csv"),
    ("recommendations", "leads.csv"),
    ("updates", "updates_jul.csv"),
    ("updates", "updates_oct.csv"),
]
GOOD_UPDATE = (
    b"recommendation_id,meeting_date,status,rag,update,evidence,reported_by\n"
    b"RAPE1-R3,12/01/2022,Complete,,Withdrawal reasons now recorded.,Audit Jan 2022,DS Patel\n"
)

# No skip when the browser is missing: a skipped browser test would pass CI unseen.
assert Path(CHROMIUM).exists(), (
    "Install Debian's chromium (apt-get install chromium); .ci/run does."
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_database(path: Path) -> None:
    con = store.connect(path)
    try:
        seed.init_database(con)
        for kind, name in FIXTURE_FILES:
            result = ingest.import_path(con, kind, DATA / name, imported_by="fixture")
            assert result.status == "committed", result.errors
    finally:
        con.close()


def wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("streamlit did not become healthy in 30 s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real dashboard on a free local port, on a fresh fixture database."""
    db = tmp_path_factory.mktemp("browser") / "tracker.duckdb"
    build_database(db)
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    env = {**os.environ, "CJB_TRACKER_DB": str(db)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def tab(chromium: object) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": 1400, "height": 3000})  # type: ignore[attr-defined]
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


def settle(tab: object) -> None:
    """Wait until the script run has finished and the page stopped changing."""
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')  # type: ignore[attr-defined]
    tab.wait_for_timeout(800)  # type: ignore[attr-defined]  # tables and charts draw after the run


def screenshot(tab: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_a_shared_url_reopens_the_same_view(server: str, tab: object) -> None:
    # First in the module on purpose: the first visit after the server starts opens a page
    # URL, which Streamlit would run without dashboard.py (web.require_dashboard).
    tab.goto(f"{server}/recommendations?rec=RAPE1-R4")  # type: ignore[attr-defined]
    tab.get_by_role("heading", name=re.compile("^RAPE1-R4: ")).wait_for()  # type: ignore[attr-defined]
    settle(tab)
    body = tab.inner_text("body")  # type: ignore[attr-defined]
    assert "Total days slipped against the original due date: 90" in body
    assert "Filters" in body  # framed by dashboard.py: the sidebar filters are there
    screenshot(tab, "2-recommendation-detail")

    tab.goto(f"{server}/?lead=DS+Patel&as_at=2021-10-01")  # type: ignore[attr-defined]
    tab.get_by_role("heading", name="Overview").wait_for()  # type: ignore[attr-defined]
    settle(tab)
    assert "As at 1 Oct 2021 · lead: DS Patel" in tab.inner_text("body")  # type: ignore[attr-defined]


def test_overview_charts_render(server: str, tab: object) -> None:
    tab.goto(server)  # type: ignore[attr-defined]
    tab.get_by_role("heading", name="Overview").wait_for()  # type: ignore[attr-defined]
    tab.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3"
    )  # type: ignore[attr-defined]  # noqa: E501
    settle(tab)
    charts = tab.locator(".js-plotly-plot")  # type: ignore[attr-defined]
    assert charts.count() == 3
    body = tab.inner_text("body")  # type: ignore[attr-defined]
    for title in ("Status as at each meeting", "Status by addressee", "Delivery confidence"):
        assert title in body
    assert "Awaiting national action" in body  # the word, not colour alone
    screenshot(tab, "1-overview")


def test_every_page_renders(server: str, tab: object) -> None:
    for path, heading, name in [
        ("recommendations", "Recommendations", "2-recommendations"),
        ("meetings?meeting=CJB:2021-10-13", "Meetings", "3-meetings"),
        ("overdue", "Overdue", "4-overdue"),
        ("upload", "Upload", "5-upload"),
    ]:
        tab.goto(f"{server}/{path}")  # type: ignore[attr-defined]
        tab.get_by_role("heading", name=heading, exact=True).wait_for()  # type: ignore[attr-defined]
        settle(tab)
        assert "Traceback" not in tab.inner_text("body")  # type: ignore[attr-defined]
        screenshot(tab, name)


def test_a_recommendation_link_opens_its_detail(server: str, tab: object) -> None:
    tab.goto(f"{server}/overdue")  # type: ignore[attr-defined]
    tab.get_by_role("heading", name="Overdue", exact=True).wait_for()  # type: ignore[attr-defined]
    settle(tab)
    grid = tab.locator(".st-key-table-overdue_table [data-testid='stDataFrame']")  # type: ignore[attr-defined]
    box = grid.bounding_box()
    assert box is not None
    # The first column holds the links; the first data row sits under a ~35 px header.
    first_link = (box["x"] + 30, box["y"] + 35 + 17)
    tab.mouse.move(*first_link)  # type: ignore[attr-defined]
    with tab.context.expect_page() as opened:  # type: ignore[attr-defined]
        tab.mouse.click(*first_link)  # type: ignore[attr-defined]
    detail = opened.value
    detail.get_by_role("heading", name=re.compile(r"^RAPE1-R\d+: ")).wait_for()
    assert "rec=RAPE1-R" in detail.url


def test_a_file_is_uploaded_and_committed_through_the_page(
    server: str, tab: object, tmp_path: Path
) -> None:
    upload = tmp_path / "january.csv"
    upload.write_bytes(GOOD_UPDATE)
    tab.goto(f"{server}/upload")  # type: ignore[attr-defined]
    tab.get_by_role("heading", name="Upload", exact=True).wait_for()  # type: ignore[attr-defined]
    settle(tab)
    tab.get_by_label("Your name", exact=True).fill("Browser Lead")  # type: ignore[attr-defined]
    tab.get_by_label("Your name", exact=True).press("Enter")  # type: ignore[attr-defined]
    settle(tab)
    tab.locator("input[type=file]").set_input_files(str(upload))  # type: ignore[attr-defined]
    tab.get_by_text("The file is valid: 1 row(s) ready to commit.").wait_for()  # type: ignore[attr-defined]
    settle(tab)
    screenshot(tab, "5-upload-preview")
    tab.get_by_role("button", name="Commit").click()  # type: ignore[attr-defined]
    tab.get_by_text(re.compile(r"Committed as batch \d+")).wait_for()  # type: ignore[attr-defined]
    settle(tab)
    assert tab.get_by_role("button", name="Commit").is_disabled()  # type: ignore[attr-defined]
    screenshot(tab, "5-upload-committed")

    tab.goto(server)  # type: ignore[attr-defined]
    tab.get_by_role("heading", name="Overview").wait_for()  # type: ignore[attr-defined]
    settle(tab)
    complete = tab.locator('[data-testid="stMetric"]', has_text="Complete")  # type: ignore[attr-defined]
    assert complete.locator('[data-testid="stMetricValue"]').inner_text() == "2"
