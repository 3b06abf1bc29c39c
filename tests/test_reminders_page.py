"""The chair's Reminders page in AppTest: each digest previewed as it will be sent, Send now
to a real SMTP server (aiosmtpd on 127.0.0.1), the history; leads' addresses set on the
page; the Meetings page's calendar."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from helpers import sign_in
from mailkit import Server, env_for, smtp_server
from streamlit.testing.v1 import AppTest
from test_reminders import add_people

from cjb_tracker import digests, ingest, mail, reminders, store
from cjb_tracker.reminder_settings import load

DASHBOARD = str(Path(__file__).parents[1] / "dashboard.py")
REMINDERS = "pages/8_reminders.py"
SOON = dt.date.today() + dt.timedelta(days=10)
SOON_ID = f"CJB:{SOON:%Y-%m-%d}"


@pytest.fixture
def reminders_db(dashboard_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dashboard's fixture database with a Board meeting in 10 days, three leads with
    addresses and a chair with one; no secrets file is read."""
    monkeypatch.setenv("CJB_TRACKER_SECRETS", str(dashboard_db.parent / "no-secrets.toml"))
    con = store.connect(dashboard_db)
    try:
        data = f"body,date,title\nCJB,{SOON:%d/%m/%Y},Board meeting soon\n".encode()
        assert ingest.import_file(con, "meetings", "m.csv", data).status == "committed"
        add_people(con)
    finally:
        con.close()
    return dashboard_db


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    with smtp_server() as running:
        for name, value in env_for(running).items():
            monkeypatch.setenv(name, value)
        yield running


def open_reminders(role: str = "chair") -> AppTest:
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), role)
    at.switch_page(REMINDERS)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def said(element: object) -> str:
    """What an alert or caption shows: its Markdown source with the escapes taken off (the
    page escapes names and addresses so that they show as typed)."""
    return re.sub(r"\\(.)", r"\1", str(element.value))  # type: ignore[attr-defined]


def table(at: AppTest, key: str) -> pd.DataFrame:
    (found,) = at.get_by_key(f"table-{key}").dataframe
    return found.value


def test_the_chair_previews_each_digest_sends_them_and_sees_the_history(
    reminders_db: Path, server: Server
) -> None:
    at = open_reminders()
    assert at.title[0].value == "Reminders"
    assert said(at.info[0]) == f"The 14-day reminder for the meeting on {SOON.day} {SOON:%b %Y}."
    assert "Could not be reminded (no e-mail address): No lead set (RAPE1-R5" in said(at.warning[0])
    listed = table(at, "digests")
    assert list(listed["to"]) == ["CPS RASSO Lead", "DS Patel", "ISVA Manager"]
    assert list(listed["address"]) == ["rasso@cjb.test", "patel@cjb.test", "isva@cjb.test"]

    # The preview is the message the run sends: its plain part, word for word.
    con = store.open_tracker(reminders_db)
    try:
        plan = reminders.plan(con, load(), SOON_ID, "due", dt.date.today())
        expected, html = mail.parts(digests.message(con, load(), plan.digests[0], dt.date.today()))
    finally:
        con.close()
    shown = [t.value for t in at.text]
    assert expected.rstrip("\n") in shown
    assert "To: CPS RASSO Lead <rasso@cjb.test>" in "\n".join(shown)
    (frame,) = at.get("iframe")
    assert frame.proto.srcdoc == html
    assert [b.label for b in at.download_button] == [
        f"Attachment: updates-CPS-RASSO-Lead-{SOON:%Y-%m-%d}.xlsx",
        f"Attachment: meeting-CJB-{SOON:%Y-%m-%d}.ics",
    ]

    at.button(key="send_reminders").click().run()
    assert not at.exception
    assert said(at.success[0]).count("Sent to ") == 3
    assert sorted(r.rcpt_tos[0] for r in server.received) == sorted(listed["address"])
    history = table(at, "reminder_history")
    assert sorted(history["address"]) == sorted(listed["address"])
    assert set(history["kind"]) == {"due"} and set(history["days_before"]) == {14}
    assert at.button(key="send_reminders").disabled  # all sent: nothing twice
    assert "Every digest of this round has been sent; the history is below." in [
        said(c) for c in at.caption
    ]


def test_without_smtp_the_page_previews_and_says_what_to_set(reminders_db: Path) -> None:
    at = open_reminders()
    assert said(at.warning[0]).startswith("Sending needs an SMTP server. Set [smtp] host")
    assert "Until then, digests can be previewed." in said(at.warning[0])
    assert len(table(at, "digests")) == 3 and at.get("iframe")
    assert at.button(key="send_reminders").disabled


def test_the_escalation_is_not_sent_before_the_deadline(reminders_db: Path, server: Server) -> None:
    at = open_reminders()
    at.radio(key="remind_kind").set_value("escalation").run()
    assert said(at.info[0]).startswith("Not yet: updates for the meeting on")
    assert list(table(at, "digests")["address"]) == ["chair@cjb.test"]  # previewable already
    assert at.button(key="send_reminders").disabled


@pytest.mark.parametrize("role", ["member", "lead"])
def test_only_the_chair_opens_the_page(reminders_db: Path, role: str) -> None:
    at = open_reminders(role)
    assert said(at.error[0]).startswith(f"A {role} cannot send reminders or set leads' addresses")
    assert not at.get("iframe")


def test_the_chair_sets_a_leads_address_on_the_page(reminders_db: Path) -> None:
    at = open_reminders()
    at.selectbox(key="address_lead").set_value("DS Patel")
    at.text_input(key="address_email").set_value("ds.patel@cjb.test")
    at.button(key="FormSubmitter:lead_address-Set the address").click().run()
    assert said(at.success[-1]) == "The address of DS Patel is set to ds.patel@cjb.test."
    known = table(at, "lead_addresses").set_index("lead")
    assert known.loc["DS Patel", "address"] == "ds.patel@cjb.test"
    assert "ds.patel@cjb.test" in list(table(at, "digests")["address"])


def test_a_file_of_addresses_is_checked_then_saved(reminders_db: Path) -> None:
    at = open_reminders()
    bad = b"lead,email\nCPS RASSO Lead,not-an-address\n"
    at.file_uploader(key="address_file").set_value(("a.csv", bad, "text/csv")).run()
    problems = table(at, "address_errors")
    assert list(zip(problems["row"], problems["column"], strict=True)) == [(2, "email")]
    assert at.button(key="save_addresses").disabled
    good = b"lead,email\nCPS RASSO Lead,cps.rasso@cjb.test\n"
    at.file_uploader(key="address_file").set_value(("a.csv", good, "text/csv")).run()
    assert not at.button(key="save_addresses").disabled
    at.button(key="save_addresses").click().run()
    assert said(at.success[-1]) == "Saved: 1 of 1 address(es) changed."
    known = table(at, "lead_addresses").set_index("lead")
    assert known.loc["CPS RASSO Lead", "address"] == "cps.rasso@cjb.test"


def test_the_meetings_page_offers_the_bodys_calendar(reminders_db: Path) -> None:
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), "member")
    at.query_params["meeting"] = "CJB:2021-10-13"
    at.switch_page("pages/3_meetings.py")
    at.run()
    assert not at.exception
    labels = [b.label for b in at.download_button]
    assert "Calendar of CJB meetings (.ics)" in labels


def test_the_page_says_whether_the_dashboard_sends_on_its_own(
    reminders_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    captions = [said(c) for c in open_reminders().caption]
    assert any("does not send reminders on its own" in c for c in captions), captions
    monkeypatch.setenv("CJB_TRACKER_REMIND_AT", "07:30")
    captions = [said(c) for c in open_reminders().caption]
    assert any("Each day from 07:30 (London time), the dashboard sends" in c for c in captions)
