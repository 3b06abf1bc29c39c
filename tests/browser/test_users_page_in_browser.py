"""The chair manages users while the dashboard holds the database (issue 21): the command
line cannot open it then, so a locked-out member no longer waits for the service to stop."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from helpers import copy_of, run_cli

from browser.browserkit import TIMEOUT_MS, running_dashboard, screenshot, settle, sign_in


def test_the_chair_sets_a_one_time_password_while_the_dashboard_runs(
    chromium: Any, _dashboard_template: Path, tmp_path: Path
) -> None:
    db = copy_of(_dashboard_template, tmp_path)
    with running_dashboard(db) as url:
        lead_context = chromium.new_context(viewport={"width": 1400, "height": 1400})
        lead = lead_context.new_page()
        lead.set_default_timeout(TIMEOUT_MS)
        sign_in(lead, url, "lead", "overview")

        # The command line cannot change anything now: the dashboard holds the file.
        done = run_cli("user", "list", db=db)
        assert done.returncode == 1 and "in use by process" in done.stderr

        chair_context = chromium.new_context(viewport={"width": 1400, "height": 2400})
        chair = chair_context.new_page()
        chair.set_default_timeout(TIMEOUT_MS)
        sign_in(chair, url, "chair", "users")
        chair.get_by_role("heading", name="Users", exact=True).wait_for()
        settle(chair)
        chair.get_by_label("User", exact=True).click()
        chair.get_by_role("option", name="lead", exact=True).click()
        settle(chair)
        chair.get_by_label("One-time password (at least 12 characters)").fill("one-time-pass-word")
        chair.get_by_role("button", name="Set the one-time password").click()
        chair.get_by_text(re.compile(r"^lead has a one-time password")).wait_for()
        settle(chair)
        screenshot(chair, "users-page")

        # The lead's open page is signed out at its next run; the one-time password works
        # once, to choose their own.
        lead.get_by_role("link", name="Recommendations").click()
        lead.get_by_role("heading", name="Sign in", exact=True).wait_for()
        lead.get_by_label("Username", exact=True).fill("lead")
        lead.get_by_label("Password", exact=True).fill("one-time-pass-word")
        lead.get_by_role("button", name="Sign in", exact=True).click()
        lead.get_by_role("heading", name="Choose your password").wait_for()
        settle(lead)
        screenshot(lead, "users-choose-password")
        lead.get_by_label("One-time password", exact=True).fill("one-time-pass-word")
        lead.get_by_label("New password", exact=True).fill("the-leads-own-password")
        lead.get_by_label("New password again", exact=True).fill("the-leads-own-password")
        lead.get_by_role("button", name="Save my password").click()
        lead.get_by_text("Your password is saved; your other sessions have ended.").wait_for()
        lead.get_by_text("Signed in as Test Lead (lead)", exact=True).wait_for()
        lead_context.close()
        chair_context.close()
