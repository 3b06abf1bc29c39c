"""Reminder digests sent to a real SMTP server (aiosmtpd on 127.0.0.1, started here) and
read back as they arrived: recipients, subject, both parts, the XLSX and the .ics; a second
run sends nothing; refusals are reported and nothing is recorded as sent for them. Then the
command line, as cron runs it."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from icalendar import Calendar
from mailkit import (
    PASSWORD,
    Server,
    env_for,
    make_certificate,
    server_context,
    settings_for,
    smtp_server,
)
from test_reminders import CHAIR, FOURTEEN_BEFORE, JANUARY, add_people

from cjb_tracker import audit, digests, ingest, mail, reminders, seed, store
from cjb_tracker.errors import TrackerError

RAN_BY = "test run"


@pytest.fixture
def server() -> Iterator[Server]:
    with smtp_server() as running:
        yield running


@pytest.fixture
def people_db(fixture_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    add_people(fixture_db)
    return fixture_db


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def send_january(con: duckdb.DuckDBPyConnection, settings: Any, **kwargs: Any) -> reminders.Report:
    return reminders.run(
        con,
        settings,
        RAN_BY,
        meeting_id=JANUARY,
        kind="due",
        today=FOURTEEN_BEFORE,
        **kwargs,
    )


def recorded(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int, str]]:
    return con.execute(
        "select recipient, kind, round, message_id from reminder_messages order by recipient"
    ).fetchall()


def test_each_lead_receives_their_digest_once(
    people_db: duckdb.DuckDBPyConnection, server: Server
) -> None:
    settings = settings_for(server, base_url="https://tracker.cjb.test")
    report = send_january(people_db, settings)
    assert [o.status for o in report.runs[0][1]] == ["sent", "sent", "sent"]
    arrived = {r.rcpt_tos[0]: r for r in server.received}
    assert sorted(arrived) == ["isva@cjb.test", "patel@cjb.test", "rasso@cjb.test"]
    assert all(len(r.rcpt_tos) == 1 and r.mail_from == "tracker@cjb.test" for r in server.received)

    message = arrived["patel@cjb.test"].message
    assert message["To"] == "DS Patel <patel@cjb.test>"
    assert message["From"] == "CJB tracker <tracker@cjb.test>"
    assert message["Subject"] == (
        "Update needed by 5 Jan 2022 for Board meeting January 2022 (12 Jan 2022): 1 recommendation"
    )
    text, html = mail.parts(message)
    assert "RAPE1-R3: Record when and why victims withdraw support" in text
    assert "Status: Not started. RAG: No RAG given. Due: 30 Jun 2022." in text
    assert "https://tracker.cjb.test/recommendations?rec=RAPE1-R3" in text
    assert "<td>Not started</td>" in html and "RAPE1-R3</a>" in html

    (xlsx_name, xlsx_type, xlsx), (ics_name, ics_type, ics) = mail.attachments(message)
    assert (xlsx_name, xlsx_type) == ("updates-DS-Patel-2022-01-12.xlsx", digests.XLSX)
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["Updates", "Read me"]
    rows = [[c.value for c in row] for row in book["Updates"].iter_rows(min_row=2)]
    assert [r[:5] for r in rows] == [["RAPE1-R3", "12/01/2022", "CJB", "Not started", None]]
    assert rows[0][-1] == "DS Patel"  # reported_by
    assert (ics_name, ics_type) == ("meeting-CJB-2022-01-12.ics", "text/calendar")
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart") == dt.date(2022, 1, 12)
    assert str(event["summary"]) == "Board meeting January 2022"
    assert int(str(event["sequence"])) == 0

    # Recorded with the Message-ID that arrived, and audited.
    sent = {r[0]: r[3] for r in recorded(people_db)}
    assert sent["patel@cjb.test"] == message["Message-ID"]
    assert {(k, n) for _, k, n, _ in recorded(people_db)} == {("due", 14)}
    events = audit.events(people_db, action="reminder")
    assert list(events["outcome"]) == ["sent"] * 3
    assert all(m in " ".join(events["detail"]) for m in sent.values())

    # A second run (cron running twice) sends nothing new.
    again = send_january(people_db, settings)
    assert [o.status for o in again.runs[0][1]] == ["already sent"] * 3
    assert len(server.received) == 3 and len(recorded(people_db)) == 3


def test_no_smtp_server_set_previews_but_says_what_to_set(
    people_db: duckdb.DuckDBPyConnection,
) -> None:
    from cjb_tracker.reminder_settings import load

    unset = load([], {})
    preview = send_january(people_db, unset, dry_run=True)
    assert [o.status for o in preview.runs[0][1]] == ["would send"] * 3
    with pytest.raises(TrackerError, match="Sending needs an SMTP server. Set \\[smtp\\] host"):
        send_january(people_db, unset)
    assert recorded(people_db) == []


def test_a_refused_connection_is_reported_and_tried_again_next_run(
    people_db: duckdb.DuckDBPyConnection,
) -> None:
    nobody = settings_for(port=None)  # a free port nothing listens on
    report = send_january(people_db, nobody)
    assert [o.status for o in report.failed] == ["failed"] * 3
    assert "refused the connection" in str(report.failed[0].problem)
    assert recorded(people_db) == []
    assert list(audit.events(people_db, action="reminder")["outcome"]) == ["failure"] * 3
    with smtp_server() as running:
        retried = send_january(people_db, settings_for(running))
        assert len(retried.sent) == 3 and len(running.received) == 3
    assert len(recorded(people_db)) == 3


def test_a_refused_sign_in_is_reported_and_the_password_kept_out_of_every_record(
    people_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    with smtp_server(password=True) as running:
        report = send_january(people_db, settings_for(running, password="the-wrong-password"))
        assert len(report.failed) == 3 and running.received == []
        assert "refused the sign-in of tracker@cjb.test (535" in str(report.failed[0].problem)
        assert "Check smtp user and password" in str(report.failed[0].problem)
        assert recorded(people_db) == []
        ok = send_january(people_db, settings_for(running, password=PASSWORD))
        assert len(ok.sent) == 3 and len(running.received) == 3
    people_db.execute("checkpoint")
    details = " ".join(audit.events(people_db, action="reminder")["detail"])
    assert "the-wrong-password" not in details and PASSWORD not in details
    path = tmp_path / "tracker.duckdb"
    assert (
        b"the-wrong-password" not in path.read_bytes()
        and PASSWORD.encode() not in path.read_bytes()
    )


def test_a_5xx_to_one_recipient_fails_that_message_only(
    people_db: duckdb.DuckDBPyConnection,
) -> None:
    with smtp_server(refuse=("isva@cjb.test",)) as running:
        report = send_january(people_db, settings_for(running))
        assert {o.digest.address: o.status for o in report.runs[0][1]} == {
            "isva@cjb.test": "failed",
            "patel@cjb.test": "sent",
            "rasso@cjb.test": "sent",
        }
        assert report.failed[0].problem == (
            "The mail server refused the address isva@cjb.test (550 5.1.1 <isva@cjb.test>: no "
            "such mailbox here)."
        )
        assert sorted(r.rcpt_tos[0] for r in running.received) == [
            "patel@cjb.test",
            "rasso@cjb.test",
        ]
        assert [r[0] for r in recorded(people_db)] == ["patel@cjb.test", "rasso@cjb.test"]
        # The next run tries the failed one again, and only it.
        running.recorder.refuse.clear()
        retried = send_january(people_db, settings_for(running))
        assert [
            (o.digest.address, o.status) for o in retried.runs[0][1] if o.status != "already sent"
        ] == [("isva@cjb.test", "sent")]
    assert len(recorded(people_db)) == 3


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_encrypted_and_signed_in(
    people_db: duckdb.DuckDBPyConnection, certificate: tuple[Path, Path], security: str
) -> None:
    context = server_context(*certificate)
    tls = {"starttls": context} if security == "starttls" else {"implicit_tls": context}
    with smtp_server(password=True, **tls) as running:  # type: ignore[arg-type]
        settings = settings_for(
            running, security=security, password=PASSWORD, ca_file=certificate[0]
        )
        report = send_january(people_db, settings)
        assert len(report.sent) == 3 and len(running.received) == 3
        # Without the certificate authority the certificate is not trusted: nothing is sent.
        untrusted = settings_for(running, security=security, password=PASSWORD)
        refused = reminders.run(people_db, untrusted, RAN_BY, meeting_id=JANUARY, kind="due",
                                today=dt.date(2022, 1, 10))  # fmt: skip
        assert refused.failed and "encrypted connection" in str(refused.failed[0].problem)


def test_hostile_text_arrives_as_text(
    fixture_db: duckdb.DuckDBPyConnection, server: Server
) -> None:
    hostile = "\r\nBcc: thief@evil.test\r\nSubject: pwned\r\n\r\n<img src=x onerror=alert(1)>"
    meetings = f'body,date,title\nCJB,09/02/2022,"Board{hostile}"\n'.encode()
    assert ingest.import_file(fixture_db, "meetings", "m.csv", meetings).status == "committed"
    recs = f'report_code,number,title,lead\nRAPE1,3,"Title{hostile}","DS Patel"\n'.encode()
    assert ingest.import_file(fixture_db, "recommendations", "r.csv", recs).status == "committed"
    narrative = (
        "recommendation_id,meeting_date,status,next_steps\n"
        f'RAPE1-R3,12/01/2022,In progress,"Steps{hostile}\r\n--===============0==\r\n"\n'
    ).encode()
    assert ingest.import_file(fixture_db, "updates", "u.csv", narrative).status == "committed"
    from cjb_tracker import auth

    auth.add_user(fixture_db, CHAIR, "patel", f"DS Patel{hostile}", "lead", email="patel@cjb.test",
                  lead_names=("DS Patel",))  # fmt: skip
    report = reminders.run(fixture_db, settings_for(server), RAN_BY, meeting_id="CJB:2022-02-09",
                           kind="due", today=dt.date(2022, 2, 1))  # fmt: skip
    assert len(report.sent) == 1
    (arrived,) = server.received
    assert arrived.rcpt_tos == ["patel@cjb.test"]  # no Bcc became a recipient
    message = arrived.message
    assert message.get_all("Bcc") is None and len(message.get_all("Subject") or []) == 1
    assert "Board Bcc: thief@evil.test Subject: pwned <img" in message["Subject"]
    text, html = mail.parts(message)
    text = text.replace("\r\n", "\n")  # (lines end in CRLF on the wire)
    assert "Dear DS Patel Bcc: thief@evil.test Subject: pwned <img" in text
    assert "Steps\nBcc: thief@evil.test\nSubject: pwned\n\n<img src=x onerror=alert(1)>" in text
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert [n for n, _, _ in mail.attachments(message)] == [
        "updates-DS-Patel-Bcc-thiefeviltest-Subject-pwned-img-srcx-onerroralert1-2022-02-09.xlsx",
        "meeting-CJB-2022-02-09.ics",
    ]


def test_the_chairs_escalation_arrives_after_the_deadline(
    people_db: duckdb.DuckDBPyConnection, server: Server
) -> None:
    report = reminders.run(people_db, settings_for(server), RAN_BY, today=dt.date(2022, 1, 6))
    kinds = [(p.kind, [o.status for o in outcomes]) for p, outcomes in report.runs]
    assert kinds == [("due", ["sent"] * 3), ("escalation", ["sent"])]  # the 14-day round, late
    escalation = next(r for r in server.received if r.rcpt_tos == ["chair@cjb.test"]).message
    assert escalation["Subject"] == (
        "Updates still owed for Board meeting January 2022 (12 Jan 2022): 12 updates from 3 "
        "leads and 9 with no lead"
    )
    text, _ = mail.parts(escalation)
    assert re.search(r"DS Patel \(reminded on \d+ \w+ \d{4}\)", text)  # by the due run before
    assert "No lead set (could not be reminded: no e-mail address)" in text
    again = reminders.run(people_db, settings_for(server), RAN_BY, today=dt.date(2022, 1, 7))
    assert report.sent and not again.sent and len(server.received) == 4


# --- The command line, as cron runs it ------------------------------------------------------


def remind_cli(
    db: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "CJB_TRACKER_SECRETS": str(db.parent / "no-secrets.toml"),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "cjb_tracker", *args, "--db", str(db)],
        capture_output=True, text=True, timeout=120, env=environment,
    )  # fmt: skip


SOON = dt.date.today() + dt.timedelta(days=10)
LATER = dt.date.today() + dt.timedelta(days=60)


def meeting_id(day: dt.date) -> str:
    return f"CJB:{day:%Y-%m-%d}"


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """The demo, with Board meetings 10 and 60 days from today (the demo's own meetings
    have fixed dates): the first is in its 14-day round whatever the day the tests run."""
    path = tmp_path / "demo.duckdb"
    con = store.connect(path)
    seed.init_database(con, demo=True)
    rows = "".join(f"CJB,{d:%d/%m/%Y},Board meeting {d:%d %b}\n" for d in (SOON, LATER))
    result = ingest.import_file(con, "meetings", "m.csv", f"body,date,title\n{rows}".encode())
    assert result.status == "committed", result.errors
    con.close()
    return path


def test_remind_dry_run_on_the_demo_shows_each_leads_digest(demo_db: Path) -> None:
    done = remind_cli(demo_db, "remind", "--meeting", meeting_id(SOON), "--dry-run")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.count("=== Digest ") == 5
    assert (
        'To: "Demo Lead (Det Supt, Public Protection (Police))" <demo-lead@cjb-demo.example>' in out
    )
    assert "RAPE1-R4: Improve case strategies and action plans with the CPS" in out
    assert (
        "Could not be reminded (no e-mail address): Head of Victim and Witness Hub (Police) "
        "(RAPE1-R6)"
    ) in out
    assert "Sending needs an SMTP server" in out  # what to set, since none is


def runs_for(outcome: dict[str, Any], day: dt.date) -> list[dict[str, Any]]:
    return [r for r in outcome["runs"] if r["meeting_id"] == meeting_id(day)]


def test_remind_sends_from_cron_once(demo_db: Path, server: Server) -> None:
    env = env_for(server, CJB_TRACKER_BASE_URL="https://t.cjb.test")
    first = remind_cli(demo_db, "remind", "--kind", "due", "--json", "--by", "cron", env=env)
    assert first.returncode == 0, first.stderr
    outcome = json.loads(first.stdout)
    assert outcome["status"] == "sent"
    (run,) = runs_for(outcome, SOON)  # in its 14-day round; the meeting in 60 days is not
    assert (run["kind"], run["round"], runs_for(outcome, LATER)) == ("due", 14, [])
    delivered = sorted(m["to"] for m in run["messages"] if m["status"] == "sent")
    assert len(delivered) == 5
    assert set(delivered) <= {r.rcpt_tos[0] for r in server.received}
    count = len(server.received)
    second = json.loads(remind_cli(demo_db, "remind", "--kind", "due", "--json", env=env).stdout)
    assert [m["status"] for m in runs_for(second, SOON)[0]["messages"]] == ["already sent"] * 5
    assert second["status"] == "nothing" and len(server.received) == count
    # A meeting named: its reminders go now, as its first round (once).
    named = remind_cli(demo_db, "remind", "--meeting", meeting_id(LATER).lower(), "--kind", "due",
                       env=env)  # fmt: skip
    assert named.returncode == 0, named.stderr
    assert named.stdout.count("Sent to ") == 5 and len(server.received) == count + 5


def test_remind_exits_1_when_a_message_fails_or_nothing_can_be_sent(demo_db: Path) -> None:
    # (The meeting named: the demo's own meetings have fixed dates, and one may be in a
    # round on the day the tests run.)
    refused = remind_cli(demo_db, "remind", "--meeting", meeting_id(SOON), "--kind", "due",
                         env={"CJB_TRACKER_SMTP_HOST": "127.0.0.1", "CJB_TRACKER_SMTP_PORT": "1",
                              "CJB_TRACKER_SMTP_SECURITY": "none",
                              "CJB_TRACKER_SMTP_FROM": "t@cjb.test"})  # fmt: skip
    assert refused.returncode == 1
    assert refused.stdout.count("NOT SENT to ") == 5
    assert "It will be tried again next run." in refused.stdout
    unset = remind_cli(demo_db, "remind")
    assert unset.returncode == 1 and "Traceback" not in unset.stderr
    assert "Sending needs an SMTP server. Set [smtp] host" in unset.stderr
    wrong = remind_cli(demo_db, "remind", "--meeting", "CJB:2027-01-14")
    assert wrong.returncode == 1 and "There is no meeting CJB:2027-01-14" in wrong.stderr


def test_lead_set_email_and_import_on_the_command_line(demo_db: Path, tmp_path: Path) -> None:
    done = remind_cli(demo_db, "lead", "set-email", "Head of Victim Services", "hvs@example.gov.uk")
    assert done.returncode == 0, done.stderr
    assert "The address of Head of Victim Services is set to hvs@example.gov.uk." in done.stdout
    listed = remind_cli(demo_db, "lead", "list")
    assert "Head of Victim Services\thvs@example.gov.uk" in listed.stdout
    assert "Head of Victim and Witness Hub (Police)\t-\tusers: -\topen: 1" in listed.stdout
    bad = tmp_path / "addresses.csv"
    bad.write_text("lead,email\nHead of Victim and Witness Hub (Police),nope\n")
    rejected = remind_cli(demo_db, "lead", "import", str(bad), "--json")
    assert rejected.returncode == 1
    assert json.loads(rejected.stdout)["errors"][0]["column"] == "email"
    bad.write_text("lead,email\nHead of Victim and Witness Hub (Police),vwh@cjb-demo.example\n")
    assert remind_cli(demo_db, "lead", "import", str(bad)).returncode == 0
    removed = remind_cli(demo_db, "lead", "set-email", "Head of Victim Services", "--remove")
    assert "is removed" in removed.stdout
