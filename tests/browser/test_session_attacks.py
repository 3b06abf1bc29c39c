"""Issue 21's attacks, each as it was run against the dashboard: a real server (serve.py) on
a database of the test's own, chromium, and plain HTTP requests for what an attacker
would send without a browser. Each must fail for the attacker.

Where an attack needs a cookie the browser never had (an old or a future one),
`cookie_of_a_session` makes it as the code under test would: a session row with those times
and its signed id (or, in the code before issue 21, a cookie claiming those times, so these
tests can be run against that code too and show the attack working there)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import TEST_PASSWORDS, copy_of, run_cli

from browser.browserkit import (
    TIMEOUT_MS,
    running_dashboard,
    screenshot,
    session_cookie,
    settle,
    sign_in,
)
from browser.proxykit import client_sites
from cjb_tracker import auth, store

OCTOBER = "CJB:2021-10-13"


def cli(db: Path, *args: str, stdin: str = "") -> str:
    done = run_cli(*args, db=db, stdin=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def db(_dashboard_template: Path, tmp_path: Path) -> Path:
    """The fixture database with the test accounts, this test's own (a server holds it)."""
    return copy_of(_dashboard_template, tmp_path)


def cookie_of_a_session(db: Path, username: str, started: datetime, last_seen: datetime) -> str:
    """The cookie a browser would hold for a session of `username` started and last used at
    these times (the server must not be running: it holds the file)."""
    con = store.connect(db)
    try:
        key = auth.cookie_secret(con)
        if hasattr(auth, "session_token"):  # the code before issue 21: the cookie says when
            old = auth.Session(username, started=started, last_seen=last_seen)  # type: ignore[attr-defined]
            return str(auth.session_token(key, old))
        from cjb_tracker import session_store

        session = session_store.start(con, username, "password", "local", now=started)
        con.execute(
            "update sessions set last_seen_at = ? where session_id = ?",
            [last_seen, session.session_id],
        )
        return session_store.cookie_value(key, session.session_id)
    finally:
        con.close()


def as_cookie(url: str, value: str) -> dict[str, Any]:
    return {"name": "cjb_tracker_session", "value": value, "url": url}


def opens_signed_in(chromium: Any, url: str, cookie: dict[str, Any], path: str = "") -> bool:
    """Whether a fresh browser holding only this cookie opens `path` signed in."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1200})
    try:
        context.add_cookies([cookie])
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(f"{url}/{path}")
        tab.locator("h1").first.wait_for()
        settle(tab)
        signed_in = bool(tab.get_by_text(re.compile(r"^Signed in as ")).count() > 0)
        screenshot(tab, "attack-replayed-cookie")
        return signed_in
    finally:
        context.close()


def copied_cookie(tab: Any) -> dict[str, Any]:
    cookie = session_cookie(tab)
    return {k: cookie[k] for k in ("name", "value", "domain", "path")}


def signed_in_cookie(chromium: Any, url: str, role: str) -> dict[str, Any]:
    """Sign in as `role` in a browser of its own; the cookie it then holds."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1200})
    try:
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        sign_in(tab, url, role)
        return copied_cookie(tab)
    finally:
        context.close()


def fetch(url: str, cookie: str | None = None) -> tuple[int, bytes]:
    headers = {"Cookie": f"cjb_tracker_session={cookie}"} if cookie else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


# --- A copied cookie after the session should have ended -------------------------------


def test_a_copied_cookie_signs_nobody_in_after_sign_out(chromium: Any, db: Path) -> None:
    with running_dashboard(db) as url:
        context = chromium.new_context(viewport={"width": 1400, "height": 1200})
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        sign_in(tab, url, "chair", "audit")
        # Set by the server, HttpOnly: no script in the page can read it.
        assert session_cookie(tab)["httpOnly"]
        assert "cjb_tracker_session" not in tab.evaluate("document.cookie")
        stolen = copied_cookie(tab)
        assert opens_signed_in(chromium, url, stolen, "audit")  # the copy works while live
        tab.get_by_role("button", name="Sign out").click()
        tab.get_by_text("You are signed out.").wait_for()
        context.close()
        assert not opens_signed_in(chromium, url, stolen, "audit")


def test_a_copied_cookie_signs_nobody_in_after_a_password_change_or_a_disable(
    chromium: Any, db: Path
) -> None:
    with running_dashboard(db) as url:
        lead = signed_in_cookie(chromium, url, "lead")
        member = signed_in_cookie(chromium, url, "member")
    # The chair acts on the command line while the dashboard is stopped.
    cli(db, "user", "set-password", "lead", "--password-stdin", stdin="another-password-1\n")
    cli(db, "user", "disable", "member")
    with running_dashboard(db) as url:
        assert not opens_signed_in(chromium, url, lead)
        assert not opens_signed_in(chromium, url, member)


def test_the_chair_ends_a_users_sessions_from_the_command_line(chromium: Any, db: Path) -> None:
    with running_dashboard(db) as url:
        lead = signed_in_cookie(chromium, url, "lead")
    assert "Ended 1 session(s) of lead." in cli(db, "user", "end-sessions", "lead")
    with running_dashboard(db) as url:
        assert not opens_signed_in(chromium, url, lead)


# --- Cookies with times the server should not believe -----------------------------------


def test_a_session_idle_for_an_hour_is_over_though_signed_in_9_hours_ago(
    chromium: Any, db: Path
) -> None:
    now = datetime.now(UTC)
    idle = cookie_of_a_session(db, "chair", now - timedelta(hours=9), now - timedelta(hours=1))
    fresh_one = cookie_of_a_session(db, "chair", now - timedelta(minutes=5), now)
    with running_dashboard(db) as url:
        assert opens_signed_in(chromium, url, as_cookie(url, fresh_one))
        assert not opens_signed_in(chromium, url, as_cookie(url, idle))


def test_a_cookie_issued_in_the_future_is_refused(chromium: Any, db: Path) -> None:
    later = datetime.now(UTC) + timedelta(hours=8)
    future = cookie_of_a_session(db, "chair", later, later)
    with running_dashboard(db) as url:
        assert not opens_signed_in(chromium, url, as_cookie(url, future))


# --- The board pack's URL ---------------------------------------------------------------


def test_a_board_packs_url_answers_no_one_but_a_live_session(tab: Any, db: Path) -> None:
    with running_dashboard(db) as url:
        sign_in(tab, url, "member", f"meetings?meeting={OCTOBER}")
        tab.get_by_role("heading", name="Meetings", exact=True).wait_for()
        settle(tab)
        prepare = tab.get_by_role("button", name="Prepare the CSV pack")
        if prepare.count():  # the code before issue 21 made the file on a click first
            prepare.click()
            settle(tab)
        with tab.expect_download() as started:
            tab.get_by_text("Board pack (CSV)", exact=True).click()
        download = started.value
        pack_url = download.url
        assert download.path().read_bytes().startswith(b"\xef\xbb\xbf")  # the member got it
        cookie = session_cookie(tab)["value"]

        assert fetch(pack_url)[0] == 403  # the URL alone: nothing
        status, body = fetch(pack_url, cookie)
        assert status == 200 and body == download.path().read_bytes()

        tab.get_by_role("button", name="Sign out").click()
        tab.get_by_text("You are signed out.").wait_for()
        tab.context.close()  # and the browser is closed
        assert fetch(pack_url, cookie)[0] == 403  # the cookie of an ended session: nothing
        assert fetch(pack_url)[0] == 403


def test_a_media_url_answers_no_one_but_a_live_session(tab: Any, db: Path) -> None:
    """Streamlit serves a download button's file under /media/ (here the meetings calendar)."""
    with running_dashboard(db) as url:
        sign_in(tab, url, "lead", f"meetings?meeting={OCTOBER}")
        tab.get_by_role("heading", name="Meetings", exact=True).wait_for()
        settle(tab)
        with tab.expect_download() as started:
            tab.get_by_role("button", name=re.compile(r"^Calendar of .* meetings")).click()
        media_url = started.value.url
        assert "/media/" in media_url
        cookie = session_cookie(tab)["value"]
        assert fetch(media_url)[0] == 403
        assert fetch(media_url, cookie)[0] == 200
        tab.get_by_role("button", name="Sign out").click()
        tab.get_by_text("You are signed out.").wait_for()
        assert fetch(media_url, cookie)[0] == 403


# --- A stranger trying passwords ---------------------------------------------------------


def test_a_stranger_failing_for_the_chair_from_another_client_does_not_lock_the_chair_out(
    chromium: Any, db: Path
) -> None:
    with (
        running_dashboard(db) as url,
        client_sites(db.parent / "sites", url, "203.0.113.66", "198.51.100.7") as sites,
    ):
        # Two places, as the deployed proxy reports them to the dashboard (X-Forwarded-For).
        strangers_url, chairs_url = sites
        stranger = chromium.new_context()
        tab = stranger.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(strangers_url)
        for attempt in range(1, 6):
            tab.get_by_label("Username", exact=True).fill("chair")
            tab.get_by_label("Password", exact=True).fill(f"guess-guess-guess-{attempt}")
            tab.get_by_role("button", name="Sign in", exact=True).click()
            tab.get_by_text("The username or password is not right").wait_for()
            settle(tab)

        chairs = chromium.new_context()
        chairs_tab = chairs.new_page()
        chairs_tab.set_default_timeout(TIMEOUT_MS)
        sign_in(chairs_tab, chairs_url, "chair")  # the chair, on their own computer, is not held up
        chairs.close()

        # The stranger waits before trying again, even with the right password.
        tab.get_by_label("Password", exact=True).fill(TEST_PASSWORDS["chair"])
        tab.get_by_role("button", name="Sign in", exact=True).click()
        tab.get_by_text(re.compile("^Too many failed sign-ins")).wait_for()
        assert tab.get_by_text(re.compile(r"^Signed in as ")).count() == 0
        screenshot(tab, "attack-stranger-waits")
        stranger.close()


# --- A backup restored ---------------------------------------------------------------------


def test_an_old_cookie_signs_nobody_in_after_a_restore(
    chromium: Any, tab: Any, db: Path, tmp_path: Path
) -> None:
    with running_dashboard(db) as url:
        old = signed_in_cookie(chromium, url, "chair")
    cli(db, "backup", str(tmp_path / "backup"))
    restored = tmp_path / "restored.duckdb"
    said = cli(restored, "restore", str(tmp_path / "backup"))
    assert "everyone must sign in again" in said
    with running_dashboard(restored) as url:
        assert not opens_signed_in(chromium, url, old)
        sign_in(tab, url, "chair")  # a new sign-in works as before


# --- A lead reopening what the Board closed ---------------------------------------------------


def test_a_lead_cannot_reopen_a_closed_recommendation_by_uploading(
    tab: Any, db: Path, tmp_path: Path
) -> None:
    upload = tmp_path / "reopen.csv"
    upload.write_text(
        "recommendation_id,meeting_date,status,rag,update\n"
        "RAPE1-R1,12/01/2022,In progress,Amber,Not really done.\n",
        encoding="utf-8",
    )
    with running_dashboard(db) as url:
        sign_in(tab, url, "lead", "upload")
        tab.get_by_role("heading", name="Upload", exact=True).wait_for()
        settle(tab)
        tab.locator("input[type=file]").set_input_files(str(upload))
        tab.get_by_text(re.compile(r"^1 problem\(s\)")).wait_for()
        settle(tab)
        screenshot(tab, "attack-lead-reopens")
        cells = tab.locator("td").all_inner_texts()  # the problems table is drawn as HTML
        assert "permission-error" in cells and "status" in cells
        assert any(
            "RAPE1-R1 was closed (Complete) at the meeting on 13 Oct 2021" in c for c in cells
        )
        assert tab.get_by_role("button", name="Commit").is_disabled()
