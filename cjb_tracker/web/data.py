"""Cached data access: the process's one connection, query results, and what is built from
them (dry runs of uploads, board packs, upload templates, drawn charts), each cached until
a write changes the data (clear_caches, called by every write in forms.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from cjb_tracker import ics, ingest, packs, presenting, reminder_settings, store, upload_templates
from cjb_tracker.auth import User
from cjb_tracker.errors import TrackerError
from cjb_tracker.ingest import ImportResult
from cjb_tracker.web.frame import FILTER_KEYS


def _close(con: duckdb.DuckDBPyConnection) -> None:
    store.close(con)


@st.cache_resource(show_spinner=False, on_release=_close)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    database = store.database(path)
    if isinstance(database, Path) and not database.exists():  # never make an empty file
        raise TrackerError(
            f"There is no tracker database at {path} yet. Create one with "
            "'cjb-tracker init --demo' (or 'make run'), or set CJB_TRACKER_DB."
        )
    return store.open_tracker(path)


def _where() -> str:
    """The database the pages read: a DuckDB file or a PostgreSQL connection string."""
    return str(store.database())


def connection() -> duckdb.DuckDBPyConnection:
    """The process's one connection to the database named by $CJB_TRACKER_DB."""
    return _connection(_where())


def keep_up() -> None:
    """At the start of each page run: with a tracker kept in PostgreSQL, copy what other
    replicas committed since the last run, and forget every cached result when anything
    came (a DuckDB file has one writer, this process, whose writes clear the caches)."""
    if store.catch_up(connection()):
        clear_caches()


def current_connection() -> duckdb.DuckDBPyConnection:
    """The process's connection, first brought up to date (keep_up): for the server's own
    routes (serve.py: the session cookie, the board pack, the /media/ guard), which run
    outside any page run. Behind a load balancer such a request may reach a replica that
    has not yet seen the sign-in another replica just wrote."""
    keep_up()
    return connection()


@st.cache_data(show_spinner=False)
def _query(path: str, name: str, **params: Any) -> pd.DataFrame:
    return store.run_query(_connection(path), name, **params)


def query(name: str, **params: Any) -> pd.DataFrame:
    """The result of queries/{name}.sql, cached until the data changes (clear_caches)."""
    return _query(_where(), name, **params)


def fresh_query(name: str, **params: Any) -> pd.DataFrame:
    """The result of queries/{name}.sql read now, not cached: for a small result that
    changes with no write clearing the caches (a page of the audit trail)."""
    return store.run_query(connection(), name, **params)


@st.cache_data(show_spinner=False)
def _choices(path: str) -> dict[str, list[str]]:
    found = store.run_query(_connection(path), "filter_choices")
    return {name: presenting.choices(found, name) for name in FILTER_KEYS}


def filter_choices() -> dict[str, list[str]]:
    """The values each shared filter offers (filter_choices.sql), by filter."""
    return _choices(_where())


def clear_caches() -> None:
    """Forget every cached result: called after a commit or an undo changes the data."""
    _query.clear()
    _dry_run.clear()
    drawn.clear()
    _choices.clear()
    _pack.clear()
    _template_files.clear()
    _calendar.clear()


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs={User: repr})
def _dry_run(
    path: str, kind: str, file_name: str, data: bytes, user: User, only_held: bool
) -> ImportResult:
    return ingest.import_file(
        _connection(path),
        kind,
        file_name,
        data,
        dry_run=True,
        imported_by=user,
        only_held=only_held,
    )


def check_upload(
    kind: str, file_name: str, data: bytes, user: User, only_held: bool = False
) -> ImportResult:
    """Validate a file as this user would import it, writing nothing (cached per file and
    user while the data is unchanged). `only_held`: see ingest.import_file."""
    return _dry_run(_where(), kind, file_name, data, user, only_held)


@st.cache_data(show_spinner=False, max_entries=16)
def _pack(path: str, meeting_id: str, fmt: str) -> bytes:
    return packs.build(_connection(path), meeting_id, fmt)


def board_pack(meeting_id: str, fmt: str) -> bytes:
    """The board pack of a meeting in one format (packs.FORMATS), made once and shared
    until the data changes: the PDF takes a few seconds of Chromium."""
    return _pack(_where(), meeting_id, fmt)


@st.cache_data(show_spinner=False, max_entries=16)
def _template_files(path: str, kind: str, lead: str | None, today: dt.date) -> dict[str, bytes]:
    rows = None
    if kind == "updates":
        rows = store.run_query(_connection(path), "upload_template_rows", lead=lead, today=today)
    return upload_templates.template_files(kind, rows, lead)


def template_files(kind: str, lead: str | None, today: dt.date) -> dict[str, bytes]:
    """{file name: bytes} of the upload templates of a kind (one lead's, or every open
    recommendation), cached until the data changes."""
    return _template_files(_where(), kind, lead, today)


@st.cache_data(show_spinner=False, max_entries=16)
def _calendar(path: str, body: str, base_url: str | None) -> bytes:
    return ics.body_calendar(_connection(path), body, base_url)


def meeting_calendar(body: str) -> tuple[str, bytes]:
    """(file name, .ics bytes) of every meeting of a body, shared until the data changes;
    its events link to the dashboard when [reminders] base_url is set."""
    try:
        base_url = reminder_settings.load().base_url
    except TrackerError:  # wrong settings are the Reminders page's to say
        base_url = None
    return ics.file_name(body), _calendar(_where(), body, base_url)


def template_notice(lead: str | None, today: dt.date) -> str | None:
    """Why the updates template holds no row, or which rows it leaves out (None: none)."""
    rows = query("upload_template_rows", lead=lead, today=today)
    return upload_templates.template_notice(rows, lead)


# Building a plotly figure validates every property (tens of milliseconds a chart, more than
# the queries behind it), and pivoting its numbers into a table takes pandas a few more:
# each is made once for the query result it draws (known by the query and its parameters,
# cheaper to compare than the rows), and shared: never changed once made.
@st.cache_resource(show_spinner=False, max_entries=128)
def drawn(
    _make: Callable[[pd.DataFrame], Any], made_by: str, drawing: str, _frame: pd.DataFrame
) -> Any:
    return _make(_frame)
