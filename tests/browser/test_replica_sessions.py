"""Two dashboard replicas on one PostgreSQL (issue 19's deployment), as a load balancer
would use them: a sign-in on one replica counts on the other (one session key, one sessions
table, kept in PostgreSQL), and signing out on one ends the session on both. The second
replica's own routes (the board pack here) catch up with the first's sign-in before they
check the cookie, though that replica has drawn no page since."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser.browserkit import TIMEOUT_MS, dashboard_process, screenshot, settle, sign_in
from browser.test_session_attacks import as_cookie, copied_cookie, fetch, opens_signed_in

PACK = "/api/pack?meeting=CJB%3A2021-10-13&format=csv"


def test_a_sign_in_on_one_replica_counts_on_the_other_until_signed_out(
    chromium: Any, postgres_tracker: str, tmp_path: Path
) -> None:
    with (
        dashboard_process(postgres_tracker, log=tmp_path / "first.log") as (first, _),
        dashboard_process(postgres_tracker, log=tmp_path / "second.log") as (second, _),
    ):
        # The second replica has its copy open (a request without a cookie: refused) before
        # anyone signs in on the first.
        assert fetch(second + PACK)[0] == 403
        context = chromium.new_context(viewport={"width": 1400, "height": 1600})
        try:
            tab = context.new_page()
            tab.set_default_timeout(TIMEOUT_MS)
            sign_in(tab, first, "chair", "audit")
            tab.get_by_role("heading", name="Audit trail").wait_for()
            settle(tab)
            screenshot(tab, "replica-first-signed-in")
            cookie = copied_cookie(tab)

            # The second replica, which has drawn no page since, serves the pack to the cookie.
            status, body = fetch(second + PACK, cookie["value"])
            assert status == 200 and body.startswith(b"\xef\xbb\xbf")
            assert opens_signed_in(chromium, second, as_cookie(second, cookie["value"]))

            tab.get_by_role("button", name="Sign out").click()
            tab.get_by_text("You are signed out.").wait_for()
        finally:
            context.close()
        assert not opens_signed_in(chromium, second, as_cookie(second, cookie["value"]))
        assert fetch(second + PACK, cookie["value"])[0] == 403
        assert not opens_signed_in(chromium, first, as_cookie(first, cookie["value"]))
