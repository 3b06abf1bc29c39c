"""What the browser tests share: a real `streamlit run serve.py` (as `make run` starts it) on
a database file of the test's own, Debian's chromium, and waits for a page to have finished
drawing. Full-page screenshots go to test-artifacts/ (git-ignored) for a person to look at."""

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

from helpers import TEST_PASSWORDS

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# How long a browser test waits for something before failing: a bound on a hang, not a
# speed target. On a 2-core machine others share, a page has taken over 20 s to draw.
TIMEOUT_MS = 60_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# The sidebar's links for each role (cjb_tracker.web.PAGES), in order.
NAVIGATION = {
    "member": ["Overview", "Recommendations", "Meetings", "Overdue", "Outcomes",
               "Presenting mode", "Accessibility"],
    "lead": ["Overview", "Recommendations", "Meetings", "Overdue", "Outcomes", "Presenting mode",
             "Upload", "Accessibility"],
    "chair": [
        "Overview", "Recommendations", "Meetings", "Overdue", "Outcomes", "Presenting mode",
        "Upload", "Closure decisions", "Audit trail", "Reminders", "Users", "Accessibility",
    ],
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sign_in(tab: Any, url: str, role: str = "chair", path: str = "") -> None:
    """Open url/path and sign in there as the test account of `role` with the sign-in
    form; the page asked for opens once signed in."""
    tab.goto(f"{url}/{path}")
    tab.get_by_role("heading", name="Sign in", exact=True).wait_for()
    tab.get_by_label("Username", exact=True).fill(role)
    tab.get_by_label("Password", exact=True).fill(TEST_PASSWORDS[role])
    tab.get_by_role("button", name="Sign in", exact=True).click()
    tab.get_by_text(re.compile(r"^Signed in as ")).wait_for()
    # The session cookie (so another URL opened in this context stays signed in): set by
    # the server, HttpOnly, so looked for in the browser's store rather than the page.
    session_cookie(tab)


def session_cookie(tab: Any, wait_ms: int = TIMEOUT_MS) -> dict[str, Any]:
    """The browser's session cookie for the tracker, once the page has fetched it."""
    deadline = time.monotonic() + wait_ms / 1000
    while time.monotonic() < deadline:
        for cookie in tab.context.cookies():
            if cookie["name"] == "cjb_tracker_session":
                return dict(cookie)
        tab.wait_for_timeout(100)
    raise TimeoutError("no session cookie was set")


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Return once the server answers its health check; fail as soon as it exits, or when
    it is not healthy within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass  # not listening yet
        try:  # between two tries, wait for the process to end (a failed start)
            process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"streamlit exited with {process.returncode}")
    raise TimeoutError(f"streamlit did not become healthy in {timeout:.0f} s")


@contextmanager
def dashboard_process(
    db: Path | str,
    log: Path | None = None,
    timeout: float = 30,
    env: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`streamlit run serve.py` (dashboard.py in our server, as `make run` starts it) on
    `db` (a DuckDB file, or a postgresql:// address: one replica), headless on `port` or a
    free local port, once healthy; yields its URL and process. Its output (the server's
    log) goes to `log`, by default server.log beside the database file."""
    if log is None and not isinstance(db, Path):
        raise ValueError("say where the log of a replica of a PostgreSQL tracker goes")
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "serve.py",
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    environment = {**os.environ, "CJB_TRACKER_DB": str(db), **(env or {})}
    with (log or Path(db).parent / "server.log").open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output,
                                   stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, timeout)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def running_dashboard(db: Path, **env: str) -> Iterator[str]:
    """`streamlit run serve.py` on `db` with these environment variables set (see
    dashboard_process); yields its URL."""
    with dashboard_process(db, env=env) as (url, _):
        yield url


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
    tab.evaluate(_QUIET, [500, 10_000])


def screenshot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
