"""The audit trail: who did what, to what, and how it ended. Events are only ever added
(audit_events is append-only); no function here or elsewhere updates or deletes one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import duckdb

from cjb_tracker import spreadsheets, store

if TYPE_CHECKING:
    import pandas as pd

ACTIONS = (
    "sign-in",
    "import",
    "undo",
    "closure-proposal",
    "closure-decision",
    "measure-link",
    "export",
    "user",
    "migrate",
    "reminder",
    "lead-address",
    "session",  # a session ended: signed out, idle, its limit (session_store)
)


def record(
    cur: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    target: str | None,
    outcome: str,
    detail: str | None = None,
) -> None:
    """Add one event, inside the caller's transaction when it has one (so the event and the
    change it records are written together or not at all)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    store.run_script(
        cur,
        "insert_audit_event",
        actor=actor,
        action=action,
        target=target,
        outcome=outcome,
        detail=detail,
    )


def record_alone(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    target: str | None,
    outcome: str,
    detail: str | None = None,
) -> None:
    """Add one event in a transaction of its own (for what changes nothing else)."""
    with store.transaction(con) as cur:
        record(cur, actor, action, target, outcome, detail)


def events(
    con: duckdb.DuckDBPyConnection,
    *,
    action: str | None = None,
    actor: str | None = None,
    outcome: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """Every event matching every filter given, newest first (total_rows: how many)."""
    return store.run_query(
        con,
        "audit_events",
        action=action,
        actor=actor,
        outcome=outcome,
        since=since,
        until=until,
        limit=None,
        offset=0,
    )


def events_csv(con: duckdb.DuckDBPyConnection, **filters: Any) -> bytes:
    """Every event matching the filters (those of `events`) as CSV, its text neutralised
    (a target like '=cmd|...' stays text in Excel)."""
    return spreadsheets.csv_bytes(events(con, **filters).drop(columns="total_rows"))
