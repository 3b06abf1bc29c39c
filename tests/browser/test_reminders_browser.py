"""The chair's Reminders page in Chromium against a real dashboard and a real SMTP server
(aiosmtpd): the digest previewed as mail readers show it, Send now, the history; then a
digest's HTML part as it arrived, drawn on its own: no outside request, no serious axe
violation. Screenshots in test-artifacts/ (8-reminders-*.png, 8-digest-html.png)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import copy_of
from mailkit import Server, env_for, smtp_server
from test_reminders import add_people

from browser.browserkit import running_dashboard, screenshot, settle, sign_in
from cjb_tracker import ingest, mail, store

SOON = dt.date.today() + dt.timedelta(days=10)


@pytest.fixture(scope="module")
def mail_server() -> Iterator[Server]:
    with smtp_server() as running:
        yield running


@pytest.fixture(scope="module")
def reminders_server(
    _dashboard_template: Path, tmp_path_factory: pytest.TempPathFactory, mail_server: Server
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("reminders")
    db = copy_of(_dashboard_template, folder)
    con = store.connect(db)
    try:
        data = f"body,date,title\nCJB,{SOON:%d/%m/%Y},Board meeting soon\n".encode()
        assert ingest.import_file(con, "meetings", "m.csv", data).status == "committed"
        add_people(con)
    finally:
        con.close()
    env = env_for(mail_server, CJB_TRACKER_SECRETS=str(folder / "no-secrets.toml"),
                  CJB_TRACKER_BASE_URL="https://tracker.cjb.test")  # fmt: skip
    with running_dashboard(db, **env) as url:
        yield url


def test_the_chair_previews_sends_and_sees_the_history_and_the_digest_reads_well(
    reminders_server: str, mail_server: Server, tab: Any
) -> None:
    sign_in(tab, reminders_server, "chair", "reminders")
    tab.get_by_role("heading", name="Reminders", exact=True).wait_for()
    settle(tab)
    preview = tab.frame_locator('iframe[title="The digest\'s HTML part, as it will be sent"]')
    preview.get_by_text("Dear CPS RASSO Lead,").wait_for()
    assert preview.get_by_role("link", name="RAPE1-R4").get_attribute("href") == (
        "https://tracker.cjb.test/recommendations?rec=RAPE1-R4"
    )
    assert "Traceback" not in tab.inner_text("body")
    screenshot(tab, "8-reminders-preview")

    tab.get_by_role("button", name="Send now (3)").click()
    tab.get_by_text("Sent to CPS RASSO Lead <rasso@cjb.test>.").wait_for()
    settle(tab)
    assert len(mail_server.received) == 3
    history = tab.locator(".st-key-table-reminder_history [data-testid='stDataFrame']")
    history.wait_for()
    assert tab.get_by_role("button", name="Send now (0)").is_disabled()
    screenshot(tab, "8-reminders-sent")

    # A digest's HTML part as it arrived, drawn on its own as a mail reader would.
    arrived = next(r for r in mail_server.received if r.rcpt_tos == ["rasso@cjb.test"])
    _, html = mail.parts(arrived.message)
    asked: list[str] = []
    tab.on("request", lambda request: asked.append(request.url))
    tab.set_content(html)
    tab.get_by_role("heading", level=1).wait_for()
    assert asked == []  # no image, font or script is fetched from anywhere
    assert tab.get_by_role("columnheader", name="RAG").is_visible()
    assert "Red (off track)" in tab.inner_text("body")  # the word, not only the colour
    violations = Axe().run(tab).response["violations"]
    serious = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    assert serious == []
    screenshot(tab, "8-digest-html")
