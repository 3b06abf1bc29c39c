"""The dashboard's own daily reminder run (`[reminders] send_at`, cjb_tracker.reminder_timer):
when it is due, that it sends through reminders.run to a real SMTP server (aiosmtpd on
127.0.0.1) once a day, that a failure is tried again an hour later, and that the real
server (`streamlit run serve.py`, as `make run` starts it) sends the day's digests itself
while it holds the DuckDB file, and sends nothing again when it is restarted."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import duckdb
import pytest
from browser.browserkit import dashboard_process
from helpers import copy_of, holding, run_cli
from mailkit import env_for, settings_for, smtp_server
from test_reminders import FOURTEEN_BEFORE, add_people

from cjb_tracker import presenting, reminder_timer, reminders
from cjb_tracker.presenting import LONDON
from cjb_tracker.reminder_settings import ReminderSettings


def at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


class Clock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


def timer_for(
    con: duckdb.DuckDBPyConnection, settings: ReminderSettings, clock: Clock
) -> reminder_timer.DailyRun:
    return reminder_timer.DailyRun(lambda: con, load_settings=lambda: settings, now=clock)


def test_the_run_is_due_from_the_set_time_once_a_day() -> None:
    daily = reminder_timer.DailyRun(lambda: duckdb.connect())
    settings = ReminderSettings(send_at=dt.time(7, 30))
    day = dt.date(2027, 1, 4)
    assert not daily.due(settings, at(day, 7, 29))
    assert daily.due(settings, at(day, 7, 30))
    assert daily.due(settings, at(day, 23, 59))  # a server started late still runs that day
    daily.done_on = day
    assert not daily.due(settings, at(day, 9, 0))
    assert daily.due(settings, at(day + dt.timedelta(days=1), 7, 30))
    assert not daily.due(ReminderSettings(), at(day + dt.timedelta(days=1), 7, 30))
    daily.next_try = at(day + dt.timedelta(days=1), 8, 30)
    assert not daily.due(settings, at(day + dt.timedelta(days=1), 8, 29))
    assert daily.due(settings, at(day + dt.timedelta(days=1), 8, 30))


def test_the_timer_sends_the_days_digests_at_the_set_time_and_not_again(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    add_people(fixture_db)
    with smtp_server() as server:
        settings = settings_for(server, remind_at="07:30")
        clock = Clock(at(FOURTEEN_BEFORE, 7, 29))
        daily = timer_for(fixture_db, settings, clock)
        assert daily.tick() is None and server.received == []
        clock.moment = at(FOURTEEN_BEFORE, 7, 31)
        report = daily.tick()
        assert report is not None and len(report.sent) == 3 and not report.failed
        assert sorted(r.rcpt_tos[0] for r in server.received) == [
            "isva@cjb.test", "patel@cjb.test", "rasso@cjb.test"
        ]  # fmt: skip
        clock.moment = at(FOURTEEN_BEFORE, 12, 0)
        assert daily.tick() is None  # the day's run is done
        clock.moment = at(FOURTEEN_BEFORE + dt.timedelta(days=1), 7, 30)
        again = daily.tick()  # the next day: the 14-day round is sent already
        assert again is not None and again.sent == []
        assert len(server.received) == 3
    events = fixture_db.execute(
        "select actor, outcome from audit_events where action = 'reminder' order by event_id"
    ).fetchall()
    assert events == [(reminder_timer.BY, "sent")] * 3


def test_a_message_the_server_refused_is_tried_again_an_hour_later(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    add_people(fixture_db)
    with smtp_server(refuse=("patel@cjb.test",)) as server:
        clock = Clock(at(FOURTEEN_BEFORE, 7, 30))
        daily = timer_for(fixture_db, settings_for(server, remind_at="07:30"), clock)
        first = daily.tick()
        assert first is not None and len(first.sent) == 2 and len(first.failed) == 1
        clock.moment = at(FOURTEEN_BEFORE, 8, 29)
        assert daily.tick() is None  # not before the hour
        server.recorder.refuse.clear()
        clock.moment = at(FOURTEEN_BEFORE, 8, 30)
        second = daily.tick()
        assert second is not None and [o.digest.address for o in second.sent] == ["patel@cjb.test"]
        assert daily.done_on == FOURTEEN_BEFORE
    assert sorted(r.rcpt_tos[0] for r in server.received) == [
        "isva@cjb.test", "patel@cjb.test", "rasso@cjb.test"
    ]  # fmt: skip


def test_with_no_smtp_server_set_the_timer_sends_nothing_and_tries_again(
    fixture_db: duckdb.DuckDBPyConnection, caplog: pytest.LogCaptureFixture
) -> None:
    add_people(fixture_db)
    clock = Clock(at(FOURTEEN_BEFORE, 7, 30))
    daily = timer_for(fixture_db, ReminderSettings(send_at=dt.time(7, 30)), clock)
    assert daily.tick() is None
    assert daily.next_try == at(FOURTEEN_BEFORE, 8, 30) and daily.done_on is None
    assert "Sending needs an SMTP server" in caplog.text
    assert fixture_db.execute("select count(*) from reminder_messages").fetchall() == [(0,)]


def test_wrong_settings_are_logged_once_and_nothing_is_sent(
    fixture_db: duckdb.DuckDBPyConnection, caplog: pytest.LogCaptureFixture
) -> None:
    from cjb_tracker.reminder_settings import load

    def wrong() -> ReminderSettings:
        return load([], {"CJB_TRACKER_REMIND_AT": "half past seven"})

    daily = reminder_timer.DailyRun(lambda: fixture_db, load_settings=wrong)
    assert daily.tick() is None and daily.tick() is None
    assert caplog.text.count("must be a time of day as 24-hour HH:MM") == 1


def test_the_timer_thread_runs_at_once_and_stops_with_its_block(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    add_people(fixture_db)
    with smtp_server() as server:
        clock = Clock(at(FOURTEEN_BEFORE, 7, 30))
        daily = timer_for(fixture_db, settings_for(server, remind_at="07:30"), clock)
        with reminder_timer.running(daily, poll_seconds=0.05) as thread:
            deadline = time.monotonic() + 30
            while daily.done_on is None and time.monotonic() < deadline:
                time.sleep(0.05)
        assert not thread.is_alive()
        assert len(server.received) == 3


def test_the_running_dashboard_sends_the_days_reminders_itself_once(
    demo_template: Path, tmp_path: Path
) -> None:
    """The demo with a Board meeting three days from today, London time: `streamlit run
    serve.py` with CJB_TRACKER_REMIND_AT=00:00 sends the day's digests while it holds the
    file (where cron's command would be told the file is in use); restarted the same day,
    it sends nothing again."""
    db = copy_of(demo_template, tmp_path)
    soon = presenting.london_today() + dt.timedelta(days=3)
    meetings = tmp_path / "meetings.csv"
    meetings.write_text(f"body,date\nCJB,{soon:%d/%m/%Y}\n")
    assert run_cli("import", "meetings", str(meetings), db=db).returncode == 0
    meeting_id = f"CJB:{soon:%Y-%m-%d}"
    log = tmp_path / "server.log"
    with smtp_server() as server:
        env = env_for(server, CJB_TRACKER_REMIND_AT="00:00")
        with dashboard_process(db, env=env):
            runs_logged(log, 1)  # the timer's first look is at start
            first = len(server.received)
        assert first > 0, log.read_text()
        with dashboard_process(db, env=env):
            runs_logged(log, 2)
        assert len(server.received) == first
    runs = [line for line in log.read_text().splitlines() if "reminders: the run of" in line]
    assert runs[0].endswith(f"sent {first} digest(s)") and runs[1].endswith("sent 0 digest(s)")
    recipients = [r.rcpt_tos[0] for r in server.received]
    assert "demo-lead@cjb-demo.example" in recipients
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select meeting_id, kind, sent_by from reminder_messages").fetchall()
    finally:
        con.close()
    # (three days before, past the 7-day deadline: the leads' digests and the escalation)
    assert set(rows) == {(meeting_id, kind, reminder_timer.BY) for kind in ("due", "escalation")}
    assert len(rows) == first


def runs_logged(log: Path, count: int, timeout: float = 60) -> None:
    """Wait until the server's log holds `count` lines of a finished timer run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.read_text().count("reminders: the run of") >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"no {count} timer run(s) in the log:\n{log.read_text()[-2000:]}")


def test_a_plan_made_while_another_run_sends_waits_for_it(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    """In one process the timer and Send now take the same lock; the second finds the
    first's messages recorded (reminders.run plans after taking it)."""
    add_people(fixture_db)
    with smtp_server(delay=0.3) as server:
        settings = settings_for(server, remind_at="07:30")

        results: list[reminders.Report] = []
        threads = [
            threading.Thread(
                target=lambda: results.append(
                    reminders.run(
                        fixture_db.cursor(),
                        settings,
                        "test chair",
                        meeting_id="CJB:2022-01-12",
                        kind="due",
                        today=FOURTEEN_BEFORE,
                    )
                )
            )  # fmt: skip
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(len(r.sent) for r in results) == [0, 3]
    assert len(server.received) == 3


def test_cron_run_while_the_dashboard_holds_the_file_says_how_to_send_instead(
    cli_db: Path,
) -> None:
    with holding(cli_db) as holder:
        done = run_cli("remind", db=cli_db)
    assert done.returncode == 1
    assert f"in use by process {holder.pid}" in done.stderr
    assert "[reminders] send_at" in done.stderr and "CJB_TRACKER_REMIND_AT" in done.stderr
    assert "Traceback" not in done.stderr
