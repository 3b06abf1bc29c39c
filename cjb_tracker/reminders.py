"""Chasing updates: who is sent which digest, when, and the record of what was sent.

- **due**: before a meeting (by default 14 and 3 days before; per body in the settings),
  each person owed an update gets one digest of the recommendations they lead that have no
  update for the meeting yet, with their template (XLSX) and the meeting's calendar event.
  A person is an address: a user's (for their lead names and the recommendations assigned
  to them) or a lead name's (lead_addresses). A lead no address reaches "could not be
  reminded", and the chair is told.
- **escalation**: after the deadline (days before the meeting, a setting), the chair and
  secretariat get one digest of the updates still owed and the items overdue or newly
  overdue, by lead.

A round is a point of the schedule (days before the meeting; for escalation the deadline).
Each message the server accepts is recorded (reminder_messages) and audited at once; a run
sends nothing to an address already recorded for the same meeting, kind and round, so a
cron job that runs twice sends nothing new. A message that fails is reported and audited,
not recorded, and the next run tries it again.

(About 610 lines, kept as one module: the schedule, who gets what and the run share the
Plan and Digest types and the rule that nothing is sent twice. Building a message is
digests.py's, sending it mail.py's, the settings reminder_settings.py's, the dashboard's
daily run reminder_timer.py's, the command remind_cli.py's.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from cjb_tracker import audit, auth, replica, store
from cjb_tracker.auth import User
from cjb_tracker.errors import NotFound, TrackerError
from cjb_tracker.reminder_settings import HOW_TO_SET, ReminderSettings, valid_address

KINDS = ("due", "escalation")
KIND_LABELS = {"due": "To leads: updates due", "escalation": "To the chair: escalation"}
NO_LEAD = "No lead set"
SEND_WAIT_SECONDS = 60
_SENDING = threading.Lock()  # one run sends at a time in this process (the dashboard's)
BUSY = "Another run is sending reminders now. Wait, then look at the history."


@dataclass(frozen=True)
class Meeting:
    meeting_id: str
    body: str
    body_name: str
    held_on: dt.date
    title: str
    moved_from: dt.date | None = None
    previous_held_on: dt.date | None = None


@dataclass(frozen=True)
class Item:
    """One open recommendation, as a digest lists it (reminder_items.sql)."""

    lead: str | None
    rec_id: str
    title: str
    status: str
    rag: str | None
    due: dt.date | None
    days_overdue: int
    last_update_on: dt.date | None
    last_next_steps: str | None
    owes_update: bool
    overdue_by_meeting: bool
    newly_overdue: bool


@dataclass(frozen=True)
class Unreachable:
    """A lead owed an update whom no address reaches."""

    lead: str
    rec_ids: tuple[str, ...]


@dataclass(frozen=True)
class Digest:
    """One message to one address."""

    kind: str
    meeting: Meeting
    round: int
    deadline: dt.date
    name: str
    address: str
    items: tuple[Item, ...]
    unreachable: tuple[Unreachable, ...] = ()
    # For an escalation: when each lead's due reminders for this meeting were sent.
    reminded: tuple[tuple[str, tuple[dt.date, ...]], ...] = ()
    schedule: tuple[int, ...] = ()
    sent_at: dt.datetime | None = None  # already sent in this round: not sent again

    @property
    def rec_ids(self) -> list[str]:
        return [item.rec_id for item in self.items]


@dataclass(frozen=True)
class Plan:
    """What one run would send for one meeting and kind, and why it would or would not."""

    meeting: Meeting
    kind: str
    round: int
    deadline: dt.date
    ready: bool  # whether a run may send it now
    note: str  # when it goes, or why it does not
    digests: tuple[Digest, ...] = ()
    unreachable: tuple[Unreachable, ...] = ()

    @property
    def to_send(self) -> list[Digest]:
        return [d for d in self.digests if d.sent_at is None]


@dataclass
class Outcome:
    digest: Digest
    status: str  # would send | sent | failed | already sent
    message_id: str | None = None
    problem: str | None = None


@dataclass
class Report:
    """What a run did (or, on a dry run, would do): one Plan and its outcomes per meeting
    and kind looked at."""

    dry_run: bool
    runs: list[tuple[Plan, list[Outcome]]] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for _, outcomes in self.runs for o in outcomes if o.status == "failed"]

    @property
    def sent(self) -> list[Outcome]:
        return [o for _, outcomes in self.runs for o in outcomes if o.status == "sent"]


# --- Reading the meeting and what is owed --------------------------------------------


def meeting(con: duckdb.DuckDBPyConnection, meeting_id: str) -> Meeting:
    found = store.run_query(con, "reminder_meeting", meeting_id=meeting_id)
    if found.empty:
        raise NotFound(
            f"There is no meeting {meeting_id}. Give it as body and date, e.g. CJB:2027-01-13."
        )
    row = found.iloc[0]
    return Meeting(
        str(row["meeting_id"]),
        str(row["body"]),
        str(row["body_name"]),
        _date(row["held_on"]) or dt.date.min,
        str(row["title"]),
        _date(row["moved_from"]),
        _date(row["previous_held_on"]),
    )


def items(con: duckdb.DuckDBPyConnection, meeting_id: str, today: dt.date) -> list[Item]:
    """Every open recommendation the meeting's body follows (reminder_items.sql)."""
    found = store.run_query(con, "reminder_items", meeting_id=meeting_id, today=today)
    return [
        Item(
            lead=_text(r.lead),
            rec_id=str(r.rec_id),
            title=str(r.title),
            status=str(r.status),
            rag=_text(r.rag),
            due=_date(r.due),
            days_overdue=int(r.days_overdue),
            last_update_on=_date(r.last_update_on),
            last_next_steps=_text(r.last_next_steps),
            owes_update=bool(r.owes_update),
            overdue_by_meeting=bool(r.overdue_by_meeting),
            newly_overdue=bool(r.newly_overdue),
        )
        for r in found.itertuples(index=False)
    ]


def _date(value: Any) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    day: dt.date = pd.Timestamp(value).date()
    return day


def _text(value: Any) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# --- The schedule ----------------------------------------------------------------------


def due_round(days_before: tuple[int, ...], held_on: dt.date, today: dt.date) -> int | None:
    """The round of due reminders in force today: the nearest schedule point reached (with
    [14, 3], from 14 days before the meeting the 14-day round, from 3 days before the
    3-day round); None before the first, and after the meeting."""
    left = (held_on - today).days
    if left < 0:
        return None
    reached = [d for d in days_before if d >= left]
    return min(reached) if reached else None


def plan(
    con: duckdb.DuckDBPyConnection,
    settings: ReminderSettings,
    meeting_id: str,
    kind: str,
    today: dt.date,
    asked: bool = True,
) -> Plan:
    """What a run today would send for this meeting and kind. `asked`: the chair named the
    meeting (the command's --meeting, the page's Send now): due reminders then go even
    before the schedule's first point, as that round."""
    if kind not in KINDS:
        raise TrackerError(f"'{kind}' is not a kind of reminder: use due or escalation.")
    chosen = meeting(con, meeting_id)
    schedule = settings.schedule(chosen.body)
    deadline = chosen.held_on - dt.timedelta(days=schedule.deadline_days)
    if kind == "due":
        round_, ready, note = _due_timing(schedule.days_before, chosen, today, asked)
    else:
        round_, ready, note = _escalation_timing(schedule.deadline_days, chosen, deadline, today)
    found = items(con, meeting_id, today)
    owed = [i for i in found if i.owes_update]
    if kind == "due":
        digests, unreachable = _due_digests(
            con, chosen, round_, deadline, owed, schedule.days_before
        )
    else:
        unreachable = _addressed(con, owed)[1]
        digests = _escalation_digests(con, settings, chosen, round_, deadline, found, unreachable)
    digests = _mark_sent(con, meeting_id, kind, round_, digests)
    if not digests and ready:
        note = _nothing_note(kind, chosen, found)
    return Plan(chosen, kind, round_, deadline, ready, note, tuple(digests), tuple(unreachable))


def _due_timing(
    days_before: tuple[int, ...], chosen: Meeting, today: dt.date, asked: bool
) -> tuple[int, bool, str]:
    on = _uk(chosen.held_on)
    if chosen.held_on < today:
        return (
            max(days_before),
            False,
            f"The meeting on {on} has been held; reminders go before it.",
        )
    found = due_round(days_before, chosen.held_on, today)
    if found is not None:
        return found, True, f"The {_days(found)} reminder for the meeting on {on}."
    first = max(days_before)
    when = _uk(chosen.held_on - dt.timedelta(days=first))
    if asked:
        return (
            first,
            True,
            (
                f"Sent now, before the schedule, it counts as the {_days(first)} reminder (due on "
                f"{when}), which will not be sent again."
            ),
        )
    return first, False, f"The first reminder for the meeting on {on} goes on {when}."


def _escalation_timing(
    deadline_days: int, chosen: Meeting, deadline: dt.date, today: dt.date
) -> tuple[int, bool, str]:
    on = _uk(chosen.held_on)
    if chosen.held_on < today:
        return (
            deadline_days,
            False,
            f"The meeting on {on} has been held; escalation goes before it.",
        )
    if today <= deadline:
        return (
            deadline_days,
            False,
            (
                f"Not yet: updates for the meeting on {on} are due by {_uk(deadline)}; the "
                "escalation goes after that day."
            ),
        )
    return deadline_days, True, f"Updates for the meeting on {on} were due by {_uk(deadline)}."


def _nothing_note(kind: str, chosen: Meeting, found: list[Item]) -> str:
    on = _uk(chosen.held_on)
    owed = [i for i in found if i.owes_update]
    if kind == "due" and not owed:
        return f"Every open recommendation has an update for the meeting on {on}: nobody to remind."
    if kind == "due":
        return f"Nobody owed an update for the meeting on {on} has an e-mail address."
    if not any(i.owes_update or i.days_overdue > 0 or i.newly_overdue for i in found):
        return f"Nothing to escalate for the meeting on {on}: no update owed, nothing overdue."
    return (
        "No chair or secretariat has an e-mail address: add one (cjb-tracker user add ... "
        "--email) or set [reminders] escalate_to."
    )


def _days(days: int) -> str:
    return "day-of-meeting" if days == 0 else f"{days}-day"


def _uk(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


# --- Who gets what ---------------------------------------------------------------------


def _addressed(
    con: duckdb.DuckDBPyConnection, owed: list[Item]
) -> tuple[dict[str, tuple[str, list[Item]]], list[Unreachable]]:
    """{address: (name, the items it is reminded of)} for the items owed, and the leads no
    address reaches. A user's address covers their lead names and assigned recommendations;
    a lead address covers its lead name; an address reached both ways is one digest."""
    candidates = store.run_query(con, "reminder_addresses")
    by_address: dict[str, tuple[str, list[Item]]] = {}
    missed: dict[str, list[str]] = {}
    for item in owed:
        reached = False
        for c in candidates.itertuples(index=False):
            if not valid_address(c.address):
                continue
            leads = {_name_key(n) for n in c.lead_names}
            if (item.lead is not None and _name_key(item.lead) in leads) or (
                item.rec_id in list(c.rec_ids)
            ):
                name, listed = by_address.setdefault(str(c.address), (str(c.name), []))
                if item.rec_id not in [i.rec_id for i in listed]:
                    listed.append(item)
                reached = True
        if not reached:
            missed.setdefault(item.lead or NO_LEAD, []).append(item.rec_id)
    return by_address, [Unreachable(lead, tuple(recs)) for lead, recs in missed.items()]


def _name_key(name: str) -> str:
    """A lead name as matched: runs of spaces (line breaks too) one space."""
    return " ".join(str(name).split())


def _due_digests(
    con: duckdb.DuckDBPyConnection,
    chosen: Meeting,
    round_: int,
    deadline: dt.date,
    owed: list[Item],
    schedule: tuple[int, ...],
) -> tuple[list[Digest], list[Unreachable]]:
    by_address, unreachable = _addressed(con, owed)
    digests = [
        Digest("due", chosen, round_, deadline, name, address, tuple(listed), schedule=schedule)
        for address, (name, listed) in sorted(by_address.items(), key=lambda a: (a[1][0], a[0]))
    ]
    return digests, unreachable


def _escalation_digests(
    con: duckdb.DuckDBPyConnection,
    settings: ReminderSettings,
    chosen: Meeting,
    round_: int,
    deadline: dt.date,
    found: list[Item],
    unreachable: list[Unreachable],
) -> list[Digest]:
    listed = tuple(i for i in found if i.owes_update or i.days_overdue > 0 or i.newly_overdue)
    if not listed:
        return []
    chairs = store.run_query(con, "reminder_chairs")
    recipients = {str(a): str(n) for a, n in zip(chairs["address"], chairs["name"], strict=True)}
    for address in settings.escalate_to:
        recipients.setdefault(address, "Secretariat")
    reminded = _reminded(con, chosen.meeting_id, listed)
    return [
        Digest(
            "escalation",
            chosen,
            round_,
            deadline,
            name,
            address,
            listed,
            tuple(unreachable),
            reminded,
        )  # fmt: skip
        for address, name in sorted(recipients.items())
        if valid_address(address)
    ]


def _reminded(
    con: duckdb.DuckDBPyConnection, meeting_id: str, listed: tuple[Item, ...]
) -> tuple[tuple[str, tuple[dt.date, ...]], ...]:
    """For each lead listed, the days their due reminders for this meeting were sent."""
    sent = store.run_query(con, "reminders_sent", meeting_id=meeting_id, kind="due", round=None)
    lead_of = {i.rec_id: i.lead or NO_LEAD for i in listed}
    days: dict[str, set[dt.date]] = {}
    for rec_ids, sent_at in zip(sent["rec_ids"], sent["sent_at"], strict=True):
        for rec_id in list(rec_ids):
            if rec_id in lead_of:
                stamp = pd.Timestamp(sent_at).tz_convert("Europe/London")
                days.setdefault(lead_of[rec_id], set()).add(stamp.date())
    return tuple((lead, tuple(sorted(d))) for lead, d in sorted(days.items()))


def _mark_sent(
    con: duckdb.DuckDBPyConnection, meeting_id: str, kind: str, round_: int, digests: list[Digest]
) -> list[Digest]:
    sent = store.run_query(con, "reminders_sent", meeting_id=meeting_id, kind=kind, round=round_)
    when = {
        str(a): pd.Timestamp(t).to_pydatetime()
        for a, t in zip(sent["recipient"], sent["sent_at"], strict=True)
    }
    return [
        Digest(**{**d.__dict__, "sent_at": when.get(d.address)}) if d.address in when else d
        for d in digests
    ]


# --- Running ---------------------------------------------------------------------------


def plans(
    con: duckdb.DuckDBPyConnection,
    settings: ReminderSettings,
    today: dt.date,
    meeting_id: str | None = None,
    kind: str | None = None,
) -> Iterator[Plan]:
    """The plans a run looks at: for a meeting named, each kind asked for; else every
    meeting ahead, with the kinds its schedule has in force today."""
    kinds = [kind] if kind else list(KINDS)
    if meeting_id is not None:
        for chosen in kinds:
            yield plan(con, settings, meeting_id, chosen, today, asked=True)
        return
    ahead = store.run_query(con, "meetings_ahead", today=today)
    for found in ahead["meeting_id"]:
        for chosen in kinds:
            scheduled = plan(con, settings, str(found), chosen, today, asked=False)
            if scheduled.ready:
                yield scheduled


def run(
    con: duckdb.DuckDBPyConnection,
    settings: ReminderSettings,
    actor: User | str,
    *,
    meeting_id: str | None = None,
    kind: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Report:
    """Plan, and unless it is a dry run send, the reminders due today (or for the meeting
    named). Only the chair (and the command line) may send; sending needs SMTP settings."""
    from cjb_tracker import digests, mail  # (building messages: only a run needs it)

    sender = auth.acting(actor)
    if not dry_run:
        _require(con, sender, meeting_id or "scheduled run")
    day = today or _london_today()
    with _sending(con):
        report = Report(dry_run)
        for found in plans(con, settings, day, meeting_id, kind):
            outcomes = [Outcome(d, "already sent") for d in found.digests if d.sent_at]
            if dry_run or not found.ready or not found.to_send:
                outcomes += [Outcome(d, "would send") for d in found.to_send if found.ready]
                report.runs.append((found, outcomes))
                continue
            if settings.smtp is None:
                raise TrackerError(HOW_TO_SET)
            messages = [digests.message(con, settings, d, day) for d in found.to_send]
            by_id = {str(m["Message-ID"]): d for m, d in zip(messages, found.to_send, strict=True)}
            for message, problem in mail.send_each(settings.smtp, messages):
                digest = by_id[str(message["Message-ID"])]
                outcomes.append(_settle(con, sender, digest, str(message["Message-ID"]), problem))
            report.runs.append((found, outcomes))
        return report


@contextlib.contextmanager
def _sending(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One run sends at a time: in this process, and across replicas sharing PostgreSQL
    (two at once could both send a message before either had recorded it). The plan is
    made after this is held, on a copy holding everything the last run recorded."""
    if not _SENDING.acquire(timeout=SEND_WAIT_SECONDS):
        raise TrackerError(BUSY)
    try:
        with store.one_replica_at_a_time(con, replica.SEND_LOCK, SEND_WAIT_SECONDS) as held:
            if not held:
                raise TrackerError(BUSY)
            yield
    finally:
        _SENDING.release()


def _settle(
    con: duckdb.DuckDBPyConnection,
    sender: User,
    digest: Digest,
    message_id: str,
    problem: str | None,
) -> Outcome:
    """Record a sent message (and audit it) in one transaction, or audit the failure."""
    target = f"{digest.meeting.meeting_id} {digest.kind}"
    if problem is not None:
        detail = f"to {digest.address} ({_days(digest.round)} round): {problem}"
        audit.record_alone(con, sender.username, "reminder", target, "failure", detail)
        return Outcome(digest, "failed", message_id, problem)
    with store.transaction(con) as cur:
        cur.execute(
            store.load_query("insert_reminder_message"),
            {
                "message_id": message_id,
                "meeting_id": digest.meeting.meeting_id,
                "kind": digest.kind,
                "round": digest.round,
                "recipient": digest.address,
                "recipient_name": digest.name,
                "rec_ids": digest.rec_ids,
                "sent_by": sender.username,
            },
        )
        detail = f"to {digest.address} ({_days(digest.round)} round), {message_id}"
        audit.record(cur, sender.username, "reminder", target, "sent", detail)
    return Outcome(digest, "sent", message_id)


def _require(con: duckdb.DuckDBPyConnection, user: User, target: str) -> None:
    try:
        auth.require(user, "send-reminders")
    except TrackerError as refused:
        audit.record_alone(con, user.username, "reminder", target, "refused", str(refused))
        raise


def why_not_send(found: Plan, settings: ReminderSettings) -> str | None:
    """Why Send now cannot send this plan (None: it can)."""
    if settings.smtp is None:
        return HOW_TO_SET.replace(" Nothing was sent.", "")
    if not found.ready:
        return found.note
    if not found.to_send:
        return "Every digest of this round has been sent; the history is below."
    return None


def unreachable_sentence(found: Plan) -> str:
    """'Could not be reminded (no e-mail address): Head of ... (RAPE1-R6).'"""
    missed = "; ".join(f"{u.lead} ({', '.join(u.rec_ids)})" for u in found.unreachable)
    return (
        f"Could not be reminded (no e-mail address): {missed}. Set an address below, or add "
        "the lead as a user with an e-mail address."
    )


def digest_table(found: Plan) -> pd.DataFrame:
    """One row per digest of the plan: to whom, what it lists, and whether it was sent."""
    return pd.DataFrame(
        {
            "to": [d.name for d in found.digests],
            "address": [d.address for d in found.digests],
            "recommendations": [", ".join(d.rec_ids) for d in found.digests],
            "sent_at": pd.Series([d.sent_at for d in found.digests], dtype="object"),
        }
    )


def outcome_sentences(report: Report) -> tuple[str, list[str]]:
    """("success" | "error" | "info", a sentence per message) for what a run did."""
    sent = [f"Sent to {o.digest.name} <{o.digest.address}>." for o in report.sent]
    failed = [
        f"Not sent to {o.digest.name} <{o.digest.address}>: {o.problem} It will be tried "
        "again at the next run."
        for o in report.failed
    ]
    if not sent and not failed:
        return "info", ["Nothing was sent: every digest had been sent already."]
    return ("error" if failed else "success"), sent + failed


def _london_today() -> dt.date:
    from cjb_tracker.presenting import london_today

    return london_today()


def history(
    con: duckdb.DuckDBPyConnection,
    meeting_id: str | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> pd.DataFrame:
    """The reminders sent, newest first (reminder_history.sql)."""
    return store.run_query(
        con, "reminder_history", meeting_id=meeting_id, limit=limit, offset=offset
    )
