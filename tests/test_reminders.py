"""Who gets which reminder digest and when (issue 20), what it says, where addresses come
from, and the settings: on real DuckDB files built from schema.sql, with the library's own
write paths. (Sending to a real SMTP server: test_reminder_mail.py.)"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import openpyxl
import pytest

from cjb_tracker import audit, auth, digests, ingest, lead_addresses, mail, reminders, store
from cjb_tracker.errors import NotAllowed, TrackerError
from cjb_tracker.reminder_settings import ReminderSettings, Schedule, load

JANUARY = "CJB:2022-01-12"
FOURTEEN_BEFORE = dt.date(2021, 12, 29)  # 14 days before 12 Jan 2022
CHAIR = auth.operator("test chair")


def settings(**kwargs: object) -> ReminderSettings:
    return ReminderSettings(**kwargs)  # type: ignore[arg-type]


def add_people(con: duckdb.DuckDBPyConnection) -> None:
    """DS Patel a user with an address; the ISVA Manager a lead address only; a user
    assigned RAPE1-R4 by id; a chair with an address. The other leads have none."""
    auth.add_user(con, CHAIR, "patel", "DS Patel", "lead", email="patel@cjb.test",
                  lead_names=("DS Patel",))  # fmt: skip
    auth.add_user(con, CHAIR, "rasso", "CPS RASSO Lead", "lead", email="rasso@cjb.test",
                  rec_ids=("RAPE1-R4",))  # fmt: skip
    auth.add_user(con, CHAIR, "chair1", "Chair One", "chair", email="chair@cjb.test")
    lead_addresses.set_email(con, CHAIR, "ISVA Manager", "isva@cjb.test")


@pytest.fixture
def people_db(fixture_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    add_people(fixture_db)
    return fixture_db


def by_address(plan: reminders.Plan) -> dict[str, list[str]]:
    return {d.address: d.rec_ids for d in plan.digests}


# --- The schedule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(20, None), (15, None), (14, 14), (10, 14), (4, 14), (3, 3), (1, 3), (0, 3), (-1, None)],
)
def test_the_round_in_force_is_the_nearest_schedule_point_reached(
    days_left: int, expected: int | None
) -> None:
    meeting = dt.date(2027, 1, 13)
    today = meeting - dt.timedelta(days=days_left)
    assert reminders.due_round((14, 3), meeting, today) == expected


def test_a_scheduled_run_sends_nothing_before_the_first_round_a_named_meeting_does(
    people_db: duckdb.DuckDBPyConnection,
) -> None:
    early = dt.date(2021, 12, 1)  # 42 days before
    scheduled = reminders.plan(people_db, settings(), JANUARY, "due", early, asked=False)
    assert not scheduled.ready
    assert (
        scheduled.note == "The first reminder for the meeting on 12 Jan 2022 goes on 29 Dec 2021."
    )
    assert list(reminders.plans(people_db, settings(), early)) == []
    asked = reminders.plan(people_db, settings(), JANUARY, "due", early, asked=True)
    assert (asked.ready, asked.round) == (True, 14)  # sent early, it is the 14-day round
    on_time = list(reminders.plans(people_db, settings(), FOURTEEN_BEFORE))
    assert [(p.meeting.meeting_id, p.kind, p.round) for p in on_time] == [(JANUARY, "due", 14)]


def test_a_body_has_its_own_schedule(people_db: duckdb.DuckDBPyConnection) -> None:
    mine = settings(bodies={"CJB": Schedule((21, 7), 10)})
    found = reminders.plan(people_db, mine, JANUARY, "due", dt.date(2021, 12, 22))  # 21 before
    assert (found.ready, found.round, found.deadline) == (True, 21, dt.date(2022, 1, 2))
    assert reminders.plan(people_db, mine, JANUARY, "due", dt.date(2022, 1, 5)).round == 7


def test_no_reminder_for_a_meeting_already_held(people_db: duckdb.DuckDBPyConnection) -> None:
    found = reminders.plan(people_db, settings(), JANUARY, "due", dt.date(2022, 1, 13))
    assert not found.ready
    assert "has been held" in found.note
    with pytest.raises(TrackerError, match="There is no meeting CJB:2022-01-19"):
        reminders.plan(people_db, settings(), "CJB:2022-01-19", "due", FOURTEEN_BEFORE)


# --- Who gets what -----------------------------------------------------------------------


def test_one_digest_per_address_of_what_each_owes(people_db: duckdb.DuckDBPyConnection) -> None:
    found = reminders.plan(people_db, settings(), JANUARY, "due", FOURTEEN_BEFORE)
    assert by_address(found) == {
        "isva@cjb.test": ["RAPE1-R2"],  # a lead address
        "patel@cjb.test": ["RAPE1-R3"],  # a user's lead name (RAPE1-R1 is complete)
        "rasso@cjb.test": ["RAPE1-R4"],  # a user assigned the recommendation by id
    }
    names = {d.address: d.name for d in found.digests}
    assert names["patel@cjb.test"] == "DS Patel" and names["isva@cjb.test"] == "ISVA Manager"
    # Nine recommendations have no lead: nobody can be reminded of them, and the chair is told.
    assert [(u.lead, len(u.rec_ids)) for u in found.unreachable] == [("No lead set", 9)]


def test_an_address_reached_two_ways_gets_one_digest(people_db: duckdb.DuckDBPyConnection) -> None:
    lead_addresses.set_email(people_db, CHAIR, "DS Patel", "patel@cjb.test")
    lead_addresses.set_email(people_db, CHAIR, "CPS RASSO Lead", "patel@cjb.test")
    found = reminders.plan(people_db, settings(), JANUARY, "due", FOURTEEN_BEFORE)
    assert by_address(found)["patel@cjb.test"] == ["RAPE1-R3", "RAPE1-R4"]
    assert len([d for d in found.digests if d.address == "patel@cjb.test"]) == 1


def test_a_lead_with_nothing_owed_gets_nothing(people_db: duckdb.DuckDBPyConnection) -> None:
    data = (
        b"recommendation_id,meeting_date,status,rag,update\n"
        b"RAPE1-R2,12/01/2022,In progress,Green,Done\n"
    )
    assert ingest.import_file(people_db, "updates", "u.csv", data).status == "committed"
    found = reminders.plan(people_db, settings(), JANUARY, "due", FOURTEEN_BEFORE)
    assert "isva@cjb.test" not in by_address(found)


def test_a_disabled_user_is_not_reminded(people_db: duckdb.DuckDBPyConnection) -> None:
    auth.set_enabled(people_db, CHAIR, "patel", False)
    found = reminders.plan(people_db, settings(), JANUARY, "due", FOURTEEN_BEFORE)
    assert "patel@cjb.test" not in by_address(found)
    assert ("DS Patel", ("RAPE1-R3",)) in [(u.lead, u.rec_ids) for u in found.unreachable]


def test_escalation_goes_to_the_chairs_after_the_deadline(
    people_db: duckdb.DuckDBPyConnection,
) -> None:
    before = reminders.plan(people_db, settings(), JANUARY, "escalation", dt.date(2022, 1, 5))
    assert not before.ready
    assert "due by 5 Jan 2022; the escalation goes after that day" in before.note
    after = reminders.plan(
        people_db, settings(escalate_to=("secretariat@cjb.test",)), JANUARY, "escalation",
        dt.date(2022, 1, 6),
    )  # fmt: skip
    assert after.ready and after.round == 7
    assert [(d.address, d.name) for d in after.digests] == [
        ("chair@cjb.test", "Chair One"),
        ("secretariat@cjb.test", "Secretariat"),
    ]
    digest = after.digests[0]
    assert len(digest.items) == 12  # every update still owed
    assert [u.lead for u in digest.unreachable] == ["No lead set"]
    text, html = mail.parts(digests.message(people_db, settings(), digest, dt.date(2022, 1, 6)))
    assert "No lead set (could not be reminded: no e-mail address)" in text
    assert "Could not be reminded (no e-mail address)" in html


def test_escalation_lists_the_newly_overdue_by_lead(people_db: duckdb.DuckDBPyConnection) -> None:
    april = ingest.import_file(people_db, "meetings", "m.csv", b"body,date\nCJB,13/04/2022\n")
    assert april.status == "committed"
    found = reminders.plan(
        people_db, settings(), "CJB:2022-04-13", "escalation", dt.date(2022, 4, 7)
    )
    listed = {i.rec_id: i for i in found.digests[0].items}
    assert listed["RAPE1-R2"].days_overdue == 7 and listed["RAPE1-R2"].newly_overdue
    text, _ = mail.parts(
        digests.message(people_db, settings(), found.digests[0], dt.date(2022, 4, 7))
    )
    assert "Update owed; newly overdue since the last meeting (12 Jan 2022)" in text
    assert "Due: 31 Mar 2022, overdue by 7 days." in text


def test_a_sent_digest_is_not_planned_again(people_db: duckdb.DuckDBPyConnection) -> None:
    people_db.execute(
        "insert into reminder_messages (message_id, meeting_id, kind, round, recipient,"
        " recipient_name, rec_ids, sent_by) values ('<x@cjb.test>', ?, 'due', 14,"
        " 'patel@cjb.test', 'DS Patel', ['RAPE1-R3'], 'test')",
        [JANUARY],
    )
    found = reminders.plan(people_db, settings(), JANUARY, "due", FOURTEEN_BEFORE)
    sent = {d.address: d.sent_at is not None for d in found.digests}
    assert sent == {"isva@cjb.test": False, "patel@cjb.test": True, "rasso@cjb.test": False}
    assert len(found.to_send) == 2
    # The 3-day round is another round: DS Patel, still owing, is reminded again.
    later = reminders.plan(people_db, settings(), JANUARY, "due", dt.date(2022, 1, 10))
    assert later.round == 3 and len(later.to_send) == 3


# --- What a digest says ------------------------------------------------------------------


def test_the_due_digest_lists_status_rag_due_and_links(
    people_db: duckdb.DuckDBPyConnection,
) -> None:
    linked = settings(base_url="https://tracker.cjb.test")
    found = reminders.plan(people_db, linked, JANUARY, "due", FOURTEEN_BEFORE)
    rasso = next(d for d in found.digests if d.address == "rasso@cjb.test")
    message = digests.message(people_db, linked, rasso, FOURTEEN_BEFORE)
    text, html = mail.parts(message)
    assert message["To"] == "CPS RASSO Lead <rasso@cjb.test>"
    assert message["Subject"] == (
        "Update needed by 5 Jan 2022 for Board meeting January 2022 (12 Jan 2022): 1 recommendation"
    )
    assert "RAPE1-R4: Improve case strategies and action plans with the CPS" in text
    assert "Status: Awaiting national action. RAG: Red (off track). Due: 31 Mar 2022." in text
    assert "Next steps you gave then: Adopt the framework when published." in text
    assert "https://tracker.cjb.test/recommendations?rec=RAPE1-R4" in text
    assert "https://tracker.cjb.test/upload" in text
    assert '<a href="https://tracker.cjb.test/upload">Upload page</a>' in html
    assert [(n, t) for n, t, _ in mail.attachments(message)] == [
        ("updates-CPS-RASSO-Lead-2022-01-12.xlsx", digests.XLSX),
        ("meeting-CJB-2022-01-12.ics", "text/calendar"),
    ]


def test_the_attached_template_holds_the_digests_rows_and_uploads_as_it_is(
    people_db: duckdb.DuckDBPyConnection,
) -> None:
    found = reminders.plan(people_db, settings(), JANUARY, "due", FOURTEEN_BEFORE)
    patel = next(d for d in found.digests if d.address == "patel@cjb.test")
    name, _, data = mail.attachments(
        digests.message(people_db, settings(), patel, FOURTEEN_BEFORE)
    )[0]
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Updates"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[:4] for r in rows] == [["RAPE1-R3", "12/01/2022", "CJB", "Not started"]]
    checked = ingest.import_file(people_db, "updates", name, data, dry_run=True)
    assert (checked.status, checked.errors) == ("valid", [])


def test_user_text_cannot_inject_headers_or_markup(fixture_db: duckdb.DuckDBPyConnection) -> None:
    hostile = "Evil\r\nBcc: thief@evil.test\r\n\r\n<script>alert(1)</script>"
    meetings = f'body,date,title\nCJB,09/02/2022,"Board{hostile}"\n'.encode()
    assert ingest.import_file(fixture_db, "meetings", "m.csv", meetings).status == "committed"
    recs = f'report_code,number,title,lead\nRAPE1,3,"Title{hostile}","DS{hostile}"\n'.encode()
    assert ingest.import_file(fixture_db, "recommendations", "r.csv", recs).status == "committed"
    auth.add_user(fixture_db, CHAIR, "evil", f"Name{hostile}", "lead", email="evil@cjb.test",
                  lead_names=(f"DS{hostile}",))  # fmt: skip
    found = reminders.plan(fixture_db, settings(), "CJB:2022-02-09", "due", dt.date(2022, 2, 1))
    digest = next(d for d in found.digests if d.address == "evil@cjb.test")
    message = digests.message(fixture_db, settings(), digest, dt.date(2022, 2, 1))
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert list(parsed.keys()) == [
        "From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted",
        "X-Auto-Response-Suppress", "MIME-Version", "Content-Type",
    ]  # fmt: skip
    assert message["To"].addresses[0].addr_spec == "evil@cjb.test"
    assert len(message["To"].addresses) == 1
    assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])
    assert "BoardEvil Bcc: thief@evil.test <script>" in str(message["Subject"])
    text, html = mail.parts(message)
    assert "Title" + hostile.replace("\r\n", "\n") in text  # the body keeps it as data
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert len(list(message.iter_parts())) == 3  # the alternative part and two attachments


# --- Settings ------------------------------------------------------------------------------


def test_settings_come_from_the_secrets_file_and_the_environment_wins(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[smtp]\nhost = "smtp.cjb.test"\nport = 465\nsecurity = "tls"\nuser = "u@cjb.test"\n'
        'password = "p4ss-word"\nfrom = "CJB tracker <tracker@cjb.test>"\n'
        '[reminders]\nbase_url = "https://tracker.cjb.test/"\ndays_before = [3, 14, 7]\n'
        'deadline_days = 5\nescalate_to = ["Sec@cjb.test"]\n'
        "[reminders.bodies.RASSO-OPERATIONAL]\ndays_before = [21]\n"
    )
    found = load([secrets], {"CJB_TRACKER_SMTP_PORT": "2465"})
    assert found.smtp is not None
    assert (found.smtp.host, found.smtp.port, found.smtp.security) == ("smtp.cjb.test", 2465, "tls")
    assert found.smtp.sender.addr_spec == "tracker@cjb.test"
    assert "p4ss-word" not in repr(found) and "p4ss-word" not in found.smtp.describe()
    assert found.base_url == "https://tracker.cjb.test"
    assert found.schedule("CJB") == Schedule((14, 7, 3), 5)
    assert found.schedule("RASSO-OPERATIONAL") == Schedule((21,), 5)
    assert found.escalate_to == ("sec@cjb.test",)
    assert load([tmp_path / "none.toml"], {}).smtp is None  # no file, no environment: no SMTP


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[smtp]\nhost = "h"\nsecurity = "ssl"\nfrom = "a@b.test"\n', "smtp security 'ssl'"),
        ('[smtp]\nhost = "h"\nfrom = "nobody"\n', "smtp from must be the address"),
        ('[smtp]\nhost = "h"\nfrom = "a@b.test"\nport = "x"\n', "smtp port must be a whole number"),
        ('[smtp]\nhost = "h"\nfrom = "a@b.test"\nuser = "u"\n', "password is not"),
        ("[reminders]\ndays_before = []\n", "days_before must be a list"),
        ('[reminders]\nbase_url = "ftp://x"\n', "is not the dashboard's address"),
        ('[smtp]\npassword = "sekrit-value\n', "is not valid TOML"),
    ],
)
def test_wrong_settings_are_a_sentence(tmp_path: Path, text: str, said: str) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(text)
    with pytest.raises(TrackerError, match=said) as raised:
        load([secrets], {})
    assert "sekrit" not in str(raised.value)  # the file's content is never repeated


# --- Lead addresses ------------------------------------------------------------------------


def test_set_email_keeps_the_history_and_is_audited(fixture_db: duckdb.DuckDBPyConnection) -> None:
    said = lead_addresses.set_email(fixture_db, CHAIR, "  ISVA   Manager ", "ISVA@cjb.test")
    assert said == "The address of ISVA Manager is set to isva@cjb.test."
    lead_addresses.set_email(fixture_db, CHAIR, "ISVA Manager", "isva.new@cjb.test")
    assert fixture_db.execute("select email from lead_addresses where lead = 'ISVA Manager'"
                              ).fetchall() == [("isva.new@cjb.test",)]  # fmt: skip
    lead_addresses.set_email(fixture_db, CHAIR, "ISVA Manager", None)
    assert fixture_db.execute("select count(*) from lead_addresses").fetchall() == [(0,)]
    history = fixture_db.execute(
        "select email from lead_address_records where lead = 'ISVA Manager' order by record_id"
    ).fetchall()
    assert history == [("isva@cjb.test",), ("isva.new@cjb.test",), (None,)]
    events = audit.events(fixture_db, action="lead-address")
    assert list(events["detail"])[::-1] == [
        "set to isva@cjb.test", "set to isva.new@cjb.test", "removed",
    ]  # fmt: skip
    unknown = lead_addresses.set_email(fixture_db, CHAIR, "Head of Victim Services", "hvs@cjb.test")
    assert "No recommendation has this lead yet" in unknown


def test_set_email_refuses_a_bad_address_and_a_member(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    for bad in ("not an address", "a@b.test\r\nBcc: c@d.test", "a@b.test, c@d.test", "<a@b.test>"):
        with pytest.raises(TrackerError, match="is not an e-mail address"):
            lead_addresses.set_email(fixture_db, CHAIR, "ISVA Manager", bad)
    member = auth.User("m", "M", "member")
    with pytest.raises(NotAllowed):
        lead_addresses.set_email(fixture_db, member, "ISVA Manager", "isva@cjb.test")
    assert fixture_db.execute("select count(*) from lead_address_records").fetchall() == [(0,)]
    refused = audit.events(fixture_db, action="lead-address", outcome="refused")
    assert len(refused) == 1


def test_a_file_of_addresses_goes_in_whole_or_not_at_all(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    bad = (
        b"Lead,E-mail\n"
        b"ISVA Manager,isva@cjb.test\n"
        b"DS Patel,not-an-address\n"
        b",empty@cjb.test\n"
        b"ISVA Manager,again@cjb.test\n"
        b"Someone New,new@cjb.test\n"
    )
    result = lead_addresses.import_addresses(fixture_db, CHAIR, "addresses.csv", bad)
    assert result.status == "rejected"
    assert [(p.row, p.column, p.code) for p in result.errors] == [
        (3, "email", "type-error"),
        (4, "lead", "constraint-error"),
        (5, "lead", "duplicate-row"),
    ]
    assert [(p.row, p.code) for p in result.warnings] == [(6, "foreign-key")]
    assert fixture_db.execute("select count(*) from lead_address_records").fetchall() == [(0,)]
    good = b"lead,email\nISVA Manager,isva@cjb.test\nDS Patel,Patel@CJB.test\n"
    done = lead_addresses.import_addresses(fixture_db, CHAIR, "addresses.csv", good)
    assert (done.status, done.rows, done.changed) == ("committed", 2, 2)
    again = lead_addresses.import_addresses(fixture_db, CHAIR, "addresses.csv", good)
    assert (again.status, again.changed) == ("committed", 0)  # nothing new: nothing written
    kept = fixture_db.execute("select lead, email, source from lead_addresses order by lead")
    assert kept.fetchall() == [
        ("DS Patel", "patel@cjb.test", "addresses.csv"),
        ("ISVA Manager", "isva@cjb.test", "addresses.csv"),
    ]
    assert list(audit.events(fixture_db, action="lead-address")["outcome"]) == [
        "committed", "committed", "rejected",
    ]  # fmt: skip


# --- Meetings that move, and the calendar ------------------------------------------------------


def test_a_moved_meeting_keeps_its_uid_and_raises_its_sequence(
    people_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    from icalendar import Calendar

    from cjb_tracker import ics

    before = Calendar.from_ical(ics.body_calendar(people_db, "CJB"))
    january = {str(e["summary"]): e for e in before.walk("VEVENT")}["Board meeting January 2022"]
    moved = ingest.import_file(
        people_db, "meetings", "moved.csv", b"body,date,replaces\nCJB,19/01/2022,12/01/2022\n"
    )
    assert moved.status == "committed", moved.errors
    assert people_db.execute("select count(*) from meetings where meeting_id = ?",
                             [JANUARY]).fetchall() == [(0,)]  # fmt: skip
    after = Calendar.from_ical(ics.body_calendar(people_db, "CJB"))
    events = {str(e["uid"]): e for e in after.walk("VEVENT")}
    assert len(events) == 3  # July, October, and January at its new date
    event = events[str(january["uid"])]
    assert event.decoded("dtstart") == dt.date(2022, 1, 19)
    assert (int(str(january["sequence"])), int(str(event["sequence"]))) == (0, 1)
    assert str(event["summary"]) == "Board meeting January 2022"  # the title moves with it
    # Moved again: still the same UID, one more SEQUENCE.
    again = ingest.import_file(
        people_db, "meetings", "again.csv", b"body,date,replaces\nCJB,26/01/2022,19/01/2022\n"
    )
    assert again.status == "committed", again.errors
    last = Calendar.from_ical(ics.meeting_event(people_db, "CJB:2022-01-26")).walk("VEVENT")[0]
    assert (str(last["uid"]), int(str(last["sequence"]))) == (str(january["uid"]), 2)
    # The first move cannot be undone while the second stands on it.
    assert moved.batch_id is not None and again.batch_id is not None
    with pytest.raises(TrackerError, match="later batches use"):
        ingest.undo_batch(people_db, moved.batch_id, "test")
    ingest.undo_batch(people_db, again.batch_id, "test")
    ingest.undo_batch(people_db, moved.batch_id, "test")
    assert people_db.execute("select count(*) from meetings where meeting_id = ?",
                             [JANUARY]).fetchall() == [(1,)]  # fmt: skip
    # A digest says where the meeting moved from.
    ingest.import_file(
        people_db, "meetings", "m2.csv", b"body,date,replaces\nCJB,20/01/2022,12/01/2022\n"
    )
    found = reminders.plan(people_db, settings(), "CJB:2022-01-20", "due", FOURTEEN_BEFORE)
    text, _ = mail.parts(digests.message(people_db, settings(), found.digests[0], FOURTEEN_BEFORE))
    assert "meets on 20 Jan 2022 (Board meeting January 2022; moved from 12 Jan 2022)" in text


def test_a_meeting_with_updates_cannot_move(fixture_db: duckdb.DuckDBPyConnection) -> None:
    refused = ingest.import_file(
        fixture_db, "meetings", "m.csv",
        b"body,date,replaces\nCJB,20/07/2021,14/07/2021\nCJB,21/01/2022,01/01/2022\n"
        b"CJB,22/01/2022,12/01/2022\nCJB,23/01/2022,12/01/2022\n",
    )  # fmt: skip
    assert refused.status == "rejected"
    assert [(p.row, p.column, p.code) for p in refused.errors] == [
        (2, "replaces", "constraint-error"),  # updates were reported at July's
        (3, "replaces", "foreign-key"),  # no meeting on 1 Jan 2022
        (4, "replaces", "duplicate-row"),
        (5, "replaces", "duplicate-row"),
    ]
    assert "cannot be moved" in refused.errors[0].message


def test_calendar_uids_differ_between_two_trackers(tmp_path: Path) -> None:
    from icalendar import Calendar

    from cjb_tracker import ics, seed

    uids = []
    for name in ("a", "b"):
        con = store.connect(tmp_path / f"{name}.duckdb")
        seed.init_database(con, demo=True)
        first = Calendar.from_ical(ics.body_calendar(con, "CJB")).walk("VEVENT")[0]
        again = Calendar.from_ical(ics.body_calendar(con, "CJB")).walk("VEVENT")[0]
        assert str(first["uid"]) == str(again["uid"])  # stable in one tracker
        uids.append(str(first["uid"]))
        con.close()
    assert uids[0] != uids[1]


# --- Templates, and the lead's journey on the demo -------------------------------------------

DEMO_TODAY = dt.date(2026, 12, 2)  # the demo's "now": the Board next meets on 13 Jan 2027
LIBREOFFICE = Path(__file__).parent / "data" / "libreoffice" / "updates-demo-lead-libreoffice.xlsx"


@pytest.fixture(scope="module")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cjb_tracker import seed

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = store.connect(path)
    seed.init_database(con, demo=True)
    con.close()
    return path


@pytest.fixture
def demo_con(_demo_template: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    import shutil

    path = tmp_path / "demo.duckdb"
    shutil.copyfile(_demo_template, path)
    con = store.open_tracker(path)
    yield con
    con.close()


def sheet_rows(data: bytes, sheet: str = "Updates") -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[c.value for c in row] for row in book[sheet].iter_rows()]


def test_the_demo_lead_lives_a_whole_cycle(demo_con: duckdb.DuckDBPyConnection) -> None:
    from cjb_tracker import seed, upload_templates

    plan = reminders.plan(demo_con, settings(), "CJB:2027-01-13", "due", DEMO_TODAY)
    digest = next(d for d in plan.digests if d.address == "demo-lead@cjb-demo.example")
    assert digest.rec_ids == ["RAPE1-R4"]  # demo-lead leads an open recommendation owing one
    message = digests.message(demo_con, settings(), digest, DEMO_TODAY)
    text, _ = mail.parts(message)
    assert "RAPE1-R4: Improve case strategies and action plans with the CPS" in text
    assert "Due: 31 Mar 2025, overdue by 611 days." in text
    name, _, data = mail.attachments(message)[0]
    assert name == "updates-Demo-Lead-Det-Supt-Public-Protection-Police-2027-01-13.xlsx"
    assert sheet_rows(data)[1][:6] == [
        "RAPE1-R4", "13/01/2027", "CJB", "In progress", "Amber", None,
    ]  # fmt: skip
    # The Upload page's template for the demo lead: the same row, named for the meeting.
    rows = store.run_query(demo_con, "upload_template_rows", lead=seed.DEMO_LEAD, today=DEMO_TODAY)
    files = upload_templates.template_files("updates", rows, seed.DEMO_LEAD)
    xlsx = "updates-Det-Supt-Public-Protection-Police-2027-01-13.xlsx"
    assert list(files)[1] == xlsx
    assert sheet_rows(files[xlsx])[1][:5] == sheet_rows(data)[1][:5]
    # Filled in and uploaded back by the demo lead: it commits.
    book = openpyxl.load_workbook(io.BytesIO(data))
    book["Updates"]["F2"] = "Joint audit done; action plan agreed."
    out = io.BytesIO()
    book.save(out)
    lead = auth.get_user(demo_con, "demo-lead")
    assert lead is not None
    result = ingest.import_file(demo_con, "updates", name, out.getvalue(), imported_by=lead)
    assert (result.status, result.inserted, result.errors) == ("committed", 1, [])
    again = reminders.plan(demo_con, settings(), "CJB:2027-01-13", "due", DEMO_TODAY)
    assert "demo-lead@cjb-demo.example" not in by_address(again)  # nothing owed now


def test_a_template_saved_by_libreoffice_uploads_as_it_is(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    data = LIBREOFFICE.read_bytes()
    with io.BytesIO(data) as f, __import__("zipfile").ZipFile(f) as z:
        assert b"<Application>LibreOffice/" in z.read("docProps/app.xml")  # really LO's
    lead = auth.get_user(demo_con, "demo-lead")
    assert lead is not None
    result = ingest.import_file(demo_con, "updates", LIBREOFFICE.name, data, imported_by=lead)
    assert (result.status, result.errors) == ("committed", [])
    stored = demo_con.execute(
        "select status, rag, narrative, revised_due, revision_reason from effective_updates"
        " where rec_id = 'RAPE1-R4' and meeting_id = 'CJB:2027-01-13'"
    ).fetchall()
    assert stored == [(
        "In progress", "Amber",
        "The joint file-quality audit with CPS East of England was completed on 27 Nov; 82% of "
        "files met the standard – the action plan is agreed.",
        dt.date(2027, 4, 30),
        "Joint audit slipped to November; re-audit needed in March.",
    )]  # fmt: skip


def test_the_chairs_demo_template_holds_only_rows_that_go_back(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    from cjb_tracker import upload_templates

    rows = store.run_query(demo_con, "upload_template_rows", lead=None, today=DEMO_TODAY)
    files = upload_templates.template_files("updates", rows, None)
    assert list(files) == ["updates-2027-01-13.csv", "updates-2027-01-13.xlsx"]
    updates = sheet_rows(files["updates-2027-01-13.xlsx"])
    r6 = next(r for r in updates if r[0] == "RAPE1-R6")
    assert r6[1:3] == ["13/01/2027", "CJB"]  # reported to the Board, so its next meeting
    assert all(r[1] for r in updates[1:])
    checked = ingest.import_file(demo_con, "updates", "t.xlsx", files["updates-2027-01-13.xlsx"],
                                 dry_run=True)  # fmt: skip
    assert (checked.status, checked.errors) == ("valid", [])
    read_me = sheet_rows(files["updates-2027-01-13.xlsx"], "Read me")
    assert read_me[0] == ["recommendation_id", "title", "lead", "note"]
    assert read_me[1][3] == "In the template, for the CJB meeting on 13 Jan 2027."


def test_a_row_with_no_meeting_ahead_is_left_out_and_the_read_me_says_why(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    from cjb_tracker import upload_templates

    moved = b"report_code,number,body\nRAPE1,5,RASSO-OPERATIONAL\n"
    assert ingest.import_file(fixture_db, "recommendations", "r.csv", moved).status == "committed"
    rows = store.run_query(
        fixture_db, "upload_template_rows", lead=None, today=dt.date(2021, 11, 1)
    )
    files = upload_templates.template_files("updates", rows, None)
    updates = sheet_rows(files["updates-2022-01-12.xlsx"])
    assert "RAPE1-R5" not in [r[0] for r in updates]
    assert "RAPE1-R5" not in files["updates-2022-01-12.csv"].decode("utf-8-sig")
    note = next(
        r for r in sheet_rows(files["updates-2022-01-12.xlsx"], "Read me") if r[0] == "RAPE1-R5"
    )
    assert note[3] == (
        "Left out: no meeting of RASSO-OPERATIONAL is planned, so this update has no meeting to "
        "go to. Ask the secretariat to add one, then download the template again."
    )
    said = upload_templates.template_notice(rows, None)
    assert said is not None and "RAPE1-R5 (RASSO-OPERATIONAL)" in said
    checked = ingest.import_file(fixture_db, "updates", "t.xlsx", files["updates-2022-01-12.xlsx"],
                                 dry_run=True)  # fmt: skip
    assert checked.status == "valid", checked.errors


def test_no_rows_is_a_sentence_not_an_empty_file(fixture_db: duckdb.DuckDBPyConnection) -> None:
    from cjb_tracker import upload_templates

    nobody = store.run_query(
        fixture_db, "upload_template_rows", lead="Nobody", today=dt.date(2021, 11, 1)
    )
    assert upload_templates.template_files("updates", nobody, "Nobody") == {}
    assert upload_templates.template_notice(nobody, "Nobody") == (
        "Nobody leads no open recommendations, so there is no template to fill in. If that is "
        "wrong, ask the chair or secretariat."
    )
    after = store.run_query(
        fixture_db, "upload_template_rows", lead="DS Patel", today=dt.date(2022, 2, 1)
    )
    assert upload_templates.template_files("updates", after, "DS Patel") == {}
    assert upload_templates.template_notice(after, "DS Patel") == (
        "1 open recommendation(s), but no meeting of CJB is planned, so an update has no meeting "
        "to go to. Ask the secretariat to add the next meeting, then download the template."
    )


def test_the_attached_template_is_neutralised_like_every_spreadsheet(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    risky = b'report_code,number,title,lead\nRAPE1,3,"=HYPERLINK(""http://x"",""y"")",@SUM(1)\n'
    assert ingest.import_file(fixture_db, "recommendations", "r.csv", risky).status == "committed"
    lead_addresses.set_email(fixture_db, CHAIR, "@SUM(1)", "sum@cjb.test")
    found = reminders.plan(fixture_db, settings(), JANUARY, "due", FOURTEEN_BEFORE)
    digest = next(d for d in found.digests if d.address == "sum@cjb.test")
    _, _, data = mail.attachments(digests.message(fixture_db, settings(), digest, FOURTEEN_BEFORE))[
        0
    ]
    updates = sheet_rows(data)
    assert updates[1][0] == "RAPE1-R3" and updates[1][-1] == "'@SUM(1)"  # reported_by
    read_me = sheet_rows(data, "Read me")
    assert read_me[1][1:3] == ['\'=HYPERLINK("http://x","y")', "'@SUM(1)"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)
