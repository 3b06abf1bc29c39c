"""The dashboard's own daily reminder run: with `[reminders] send_at = "07:30"` (or
CJB_TRACKER_REMIND_AT), the running server sends what is due each day at that time, London
time, as `cjb-tracker remind` run from cron would. It exists because a dashboard serving a
DuckDB file holds that file: cron's `cjb-tracker remind` cannot open it while the dashboard
runs.

What is sent, and that nothing is sent twice, is reminders.run's: each message the mail
server accepts is recorded at once, a second run the same day sends nothing new, and with
several replicas sharing PostgreSQL one run at a time sends (reminders._sending) on a copy
holding what the last one recorded. A run that could not send everything (no SMTP server
set, a refusal, another run sending) is tried again an hour later, the same day. Every run
goes to the server's log; every message sent or failed is audited, by BY.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import duckdb

from cjb_tracker import reminder_settings, reminders
from cjb_tracker.errors import TrackerError
from cjb_tracker.presenting import LONDON

log = logging.getLogger(__name__)

BY = "dashboard timer"  # who the audit trail says sent what the timer sent
POLL_SECONDS = 60.0
RETRY_AFTER = dt.timedelta(hours=1)


def _london_now() -> dt.datetime:
    return dt.datetime.now(LONDON)


@dataclass
class DailyRun:
    """When the day's run is due, and the run itself (tick). `connect` gives the process's
    connection; the run uses a cursor of its own. `written` is called after a run that sent
    anything (the dashboard clears its cached results)."""

    connect: Callable[[], duckdb.DuckDBPyConnection]
    load_settings: Callable[[], reminder_settings.ReminderSettings] = reminder_settings.load
    now: Callable[[], dt.datetime] = _london_now
    written: Callable[[], object] = lambda: None
    done_on: dt.date | None = None  # the day whose run sent everything due
    next_try: dt.datetime | None = None  # after a run that did not
    settings_problem: str | None = None  # logged once, not every minute

    def due(self, settings: reminder_settings.ReminderSettings, now: dt.datetime) -> bool:
        if settings.send_at is None or self.done_on == now.date():
            return False
        if self.next_try is not None and now < self.next_try:
            return False
        return now.time() >= settings.send_at

    def tick(self) -> reminders.Report | None:
        """Run the reminders if today's run is due; the report, or None when it was not."""
        now = self.now()
        try:
            settings = self.load_settings()
        except TrackerError as wrong:
            if str(wrong) != self.settings_problem:
                log.error("reminders: the settings are wrong; the timer sends nothing: %s", wrong)
            self.settings_problem = str(wrong)
            return None
        self.settings_problem = None
        if not self.due(settings, now):
            return None
        try:
            cur = self.connect().cursor()
            try:
                report = reminders.run(cur, settings, BY, today=now.date())
            finally:
                cur.close()
        except TrackerError as refused:
            self.next_try = now + RETRY_AFTER
            log.warning("reminders: nothing sent; trying again at %s: %s", _hhmm(self.next_try),
                        refused)  # fmt: skip
            return None
        if report.sent:
            self.written()
        if report.failed:
            self.next_try = now + RETRY_AFTER
            log.warning("reminders: %d sent, %d failed; trying those again at %s",
                        len(report.sent), len(report.failed), _hhmm(self.next_try))  # fmt: skip
        else:
            self.done_on, self.next_try = now.date(), None
            log.info("reminders: the run of %s sent %d digest(s)", now.date(), len(report.sent))
        return report


def _hhmm(moment: dt.datetime) -> str:
    return f"{moment:%H:%M}"


@contextlib.contextmanager
def running(daily: DailyRun, poll_seconds: float = POLL_SECONDS) -> Iterator[threading.Thread]:
    """The timer in a thread of its own for as long as the block runs (the server's
    lifespan): a look every poll_seconds, the first at once."""
    stop = threading.Event()

    def loop() -> None:
        while True:
            try:
                daily.tick()
            except Exception:  # a bug here must not end the timer, nor the server
                log.exception("reminders: the timer's run failed")
            if stop.wait(poll_seconds):
                return

    thread = threading.Thread(target=loop, name="reminder-timer", daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join(timeout=poll_seconds)
