"""The second key of a closure: the Board's decision on a closure a lead proposed, recorded
by the chair. Accepted, the recommendation becomes Complete with the meeting and minute
reference; not accepted, it goes back to In progress with the reason. A decision is a batch
of its own (kind 'decision'), so it shows in the recommendation's history beside the
proposal and can be undone like an upload.

A closed (Complete or Superseded) recommendation is opened again only the same way: the
chair records the Board's decision to reopen it, with the reason (`reopen`). An uploaded
update cannot do it (problems_updates_authority.sql)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from cjb_tracker import audit, auth, batches, store
from cjb_tracker.auth import User
from cjb_tracker.errors import NotFound, TrackerError

DECIDED_AT_THE_SAME_MOMENT = (
    "Another change was being saved at the same moment, so the decision was not recorded. "
    "Try again."
)


@dataclass(frozen=True)
class Decision:
    rec_id: str
    meeting_id: str
    accepted: bool
    minute: str | None = None  # the minute reference, when accepted
    reason: str | None = None  # why not, when not accepted


def proposed_closures(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Recommendations whose closure is proposed and waiting for the Board."""
    return store.run_query(con, "proposed_closures")


def decide(
    con: duckdb.DuckDBPyConnection,
    actor: User | str,
    decision: Decision,
    *,
    illustrative: bool = False,
) -> int:
    """Record the Board's decision; returns its batch id."""
    chair = auth.acting(actor)
    rec_id = decision.rec_id.strip().upper()
    try:
        auth.require(chair, "decide-closure")
    except TrackerError as refused:
        audit.record_alone(con, chair.username, "closure-decision", rec_id, "refused", str(refused))
        raise
    minute, reason = _clean(decision.minute), _clean(decision.reason)
    if decision.accepted and minute is None:
        raise TrackerError("Give the minute reference of the Board's decision to accept.")
    if not decision.accepted and reason is None:
        raise TrackerError("Give the reason the Board did not accept the closure.")
    with batches.writing(con, conflict=DECIDED_AT_THE_SAME_MOMENT), store.transaction(con) as cur:
        proposed_on, rag = _proposal(cur, rec_id)
        held_on = _meeting_date(cur, decision.meeting_id)
        if held_on < proposed_on:
            raise TrackerError(
                f"The closure of {rec_id} was proposed for the meeting on "
                f"{proposed_on:%-d %b %Y}; the decision must be at that meeting or a "
                "later one."
            )
        status = "Complete" if decision.accepted else "In progress"
        narrative = (
            "The Board accepted the proposed closure."
            if decision.accepted
            else f"The Board did not accept the proposed closure: {reason}"
        )
        batch_id = _record(
            cur,
            chair,
            decision.meeting_id,
            (rec_id, status, None if decision.accepted else rag, narrative),
            evidence=f"Minute {minute}" if minute else None,
            illustrative=illustrative,
        )
        outcome = "accepted" if decision.accepted else "not accepted"
        detail = f"at {decision.meeting_id}, batch {batch_id}: " + (
            f"minute {minute}" if minute else str(reason)
        )
        audit.record(cur, chair.username, "closure-decision", rec_id, outcome, detail)
    return batch_id


def reopen(
    con: duckdb.DuckDBPyConnection,
    actor: User | str,
    rec_id: str,
    meeting_id: str,
    reason: str | None,
) -> int:
    """Record the Board's decision to open a closed (Complete or Superseded) recommendation
    again, with the reason: it goes back to In progress at that meeting. Only the chair may;
    returns the decision's batch id."""
    chair = auth.acting(actor)
    rec = rec_id.strip().upper()
    try:
        auth.require(chair, "decide-closure")
    except TrackerError as refused:
        audit.record_alone(con, chair.username, "closure-decision", rec, "refused", str(refused))
        raise
    why = _clean(reason)
    if why is None:
        raise TrackerError(f"Give the reason the Board reopened {rec}.")
    with batches.writing(con, conflict=DECIDED_AT_THE_SAME_MOMENT), store.transaction(con) as cur:
        status, closed_on = _closure(cur, rec)
        held_on = _meeting_date(cur, meeting_id)
        if held_on < closed_on:
            raise TrackerError(
                f"{rec} was closed at the meeting on {closed_on:%-d %b %Y}; it can be reopened "
                "at that meeting or a later one."
            )
        narrative = f"The Board reopened this recommendation (it was {status}): {why}"
        row = (rec, "In progress", None, narrative)
        batch_id = _record(cur, chair, meeting_id, row, evidence=None, illustrative=False)
        detail = f"at {meeting_id}, batch {batch_id}: was {status}; {why}"
        audit.record(cur, chair.username, "closure-decision", rec, "reopened", detail)
    return batch_id


def _record(
    cur: duckdb.DuckDBPyConnection,
    chair: User,
    meeting_id: str,
    row: tuple[str, str, str | None, str],
    *,
    evidence: str | None,
    illustrative: bool,
) -> int:
    """A decision as a batch of its own with one update (rec_id, status, rag, narrative),
    and the derived tables brought up to date; returns the batch id."""
    rec_id, status, rag, narrative = row
    batch_id = batches.add(
        cur,
        batches.Record(
            "decision",
            f"Closure decision on {rec_id}",
            chair.username,
            "committed",
            rows=1,
            inserted=1,
            illustrative=illustrative,
        ),
    )
    store.run_script(
        cur,
        "insert_decision",
        update_id=batches.first_update_id(cur),
        rec_id=rec_id,
        meeting_id=meeting_id,
        status=status,
        rag=rag,
        narrative=narrative,
        evidence=evidence,
        reported_by=chair.display_name,
        batch_id=batch_id,
    )
    store.refresh_derived(cur, batch_id)
    return batch_id


def _closure(cur: duckdb.DuckDBPyConnection, rec_id: str) -> tuple[str, date]:
    """A closed recommendation's status and the date of the meeting that closed it."""
    rows = cur.execute(store.load_query("closure_proposal"), {"rec_id": rec_id}).fetchall()
    if not rows:
        raise NotFound(f"There is no recommendation {rec_id}.")
    status, held_on, _ = rows[0]
    if status not in ("Complete", "Superseded"):
        raise TrackerError(
            f"{rec_id} is not closed (its status is {status}); only a Complete or Superseded "
            "recommendation is reopened."
        )
    closed_on: date = held_on
    return status, closed_on


def _proposal(cur: duckdb.DuckDBPyConnection, rec_id: str) -> tuple[date, str | None]:
    rows = cur.execute(store.load_query("closure_proposal"), {"rec_id": rec_id}).fetchall()
    if not rows:
        raise NotFound(f"There is no recommendation {rec_id}.")
    status, held_on, rag = rows[0]
    if status != "Closure proposed":
        raise TrackerError(
            f"{rec_id} has no closure proposed (its status is {status}); the Board decides "
            "only on a closure its lead has proposed."
        )
    return held_on, rag


def _meeting_date(cur: duckdb.DuckDBPyConnection, meeting_id: str) -> date:
    rows = cur.execute(store.load_query("meeting_held_on"), {"meeting_id": meeting_id}).fetchall()
    if not rows:
        raise NotFound(f"There is no meeting {meeting_id}.")
    held_on: date = rows[0][0]
    return held_on


def _clean(text: str | None) -> str | None:
    return text.strip() or None if text else None
