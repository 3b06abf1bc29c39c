"""What the browser tests share: a real `streamlit run` on a database file of the test's own,
Debian's chromium, and waits for a page to have finished drawing. Full-page screenshots go to
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
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from helpers import TEST_PASSWORDS, add_test_accounts

from cjb_tracker import ingest, seed, store

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
# The sidebar's links for each role (cjb_tracker.web.PAGES), in order.
NAVIGATION = {
    "member": ["Overview", "Recommendations", "Meetings", "Overdue", "Accessibility"],
    "lead": ["Overview", "Recommendations", "Meetings", "Overdue", "Upload", "Accessibility"],
    "chair": [
        "Overview", "Recommendations", "Meetings", "Overdue", "Upload",
        "Closure decisions", "Audit trail", "Reminders", "Accessibility",
    ],
}  # fmt: skip
FIXTURE_FILES = [
    ("meetings", "meetings.csv"),
    ("recommendations", "leads.csv"),
    ("updates", "updates_jul.csv"),
    ("updates", "updates_oct.csv"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_database(path: Path) -> None:
    """The seed from the source letter, the test fixture files (tests/data) and one test
    account per role (helpers.TEST_PASSWORDS: username = role)."""
    con = store.connect(path)
    try:
        seed.init_database(con)
        for kind, name in FIXTURE_FILES:
            result = ingest.import_path(con, kind, DATA / name, imported_by="fixture")
            assert result.status == "committed", result.errors
        add_test_accounts(con)
    finally:
        con.close()


def sign_in(tab: Any, url: str, role: str = "chair", path: str = "") -> None:
    """Open url/path and sign in there as the test account of `role` with the sign-in
    form; the page asked for opens once signed in."""
    tab.goto(f"{url}/{path}")
    tab.get_by_role("heading", name="Sign in", exact=True).wait_for()
    tab.get_by_label("Username", exact=True).fill(role)
    tab.get_by_label("Password", exact=True).fill(TEST_PASSWORDS[role])
    tab.get_by_role("button", name="Sign in", exact=True).click()
    tab.get_by_text(re.compile(r"^Signed in as ")).wait_for()
    # The session cookie (so another URL opened in this context stays signed in).
    tab.wait_for_function("document.cookie.includes('cjb_tracker_session=')")


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


@contextmanager
def running_dashboard(db: Path, **env: str) -> Iterator[str]:
    """`streamlit run dashboard.py` on `db`, headless on a free local port; yields its URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    environment = {**os.environ, "CJB_TRACKER_DB": str(db), **env}
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


# Resolves once the document has gone `quiet` ms without a change (nodes, attributes or
# text), or after `most` ms whatever happens.
_QUIET = """([quiet, most]) => new Promise(done => {
    let timer;
    const observer = new MutationObserver(() => {
        clearTimeout(timer);
        timer = setTimeout(end, quiet);
    });
    const end = () => { observer.disconnect(); clearTimeout(limit); done(); };
    const limit = setTimeout(end, most);
    observer.observe(document.body,
                     {subtree: true, childList: true, attributes: true, characterData: true});
    timer = setTimeout(end, quiet);
})"""


def settle(tab: Any) -> None:
    """Wait until the script run has finished and the page stopped changing: tables and
    charts draw after the run, later still on a busy machine, and an element drawn again
    loses the keyboard focus a test has just moved to it."""
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    tab.wait_for_timeout(300)
    tab.evaluate(_QUIET, [500, 10_000])


def screenshot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
