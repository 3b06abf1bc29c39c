"""The one Streamlit adapter in the library: what more than one page needs from Streamlit.
The cached connection and query results (cleared when a commit, an undo or a decision
changes the data), the user and the filters a page runs for, the frame dashboard.py runs it
in, and the tables, pagers, charts and cards the pages draw.

Signing in, the sidebar and the filters' widgets are dashboard.py's; the widgets only one
page draws (the upload steps, the board-pack downloads) are that page's, while what they
read or write (the packs and templates, the checks, commits, undos and decisions) is here,
with the caches it clears. Only this module (plus dashboard.py and pages/) may import
streamlit; import-linter checks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd
import streamlit as st

from cjb_tracker import (
    audit,
    auth,
    decisions,
    ingest,
    packs,
    store,
    upload_templates,
    views,
)
from cjb_tracker.auth import User
from cjb_tracker.errors import NotAllowed, TrackerError
from cjb_tracker.ingest import ImportResult

FILTER_KEYS = ("report", "body", "addressee", "lead")
DATE_FORMAT = "D MMM YYYY"  # moment.js: 13 Sep 2021
TIME_FORMAT = "D MMM YYYY, HH:mm"


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(show_spinner=False, on_release=_close)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    if not Path(path).exists():  # never create an empty file the pages cannot read
        raise TrackerError(
            f"There is no tracker database at {path} yet. Create one with "
            "'cjb-tracker init --demo' (or 'make run'), or set CJB_TRACKER_DB."
        )
    return store.open_tracker(path)


def connection() -> duckdb.DuckDBPyConnection:
    """The process's one connection to the database named by $CJB_TRACKER_DB."""
    return _connection(str(store.db_path()))


@st.cache_data(show_spinner=False)
def _query(path: str, name: str, **params: Any) -> pd.DataFrame:
    return store.run_query(_connection(path), name, **params)


def query(name: str, **params: Any) -> pd.DataFrame:
    """The result of queries/{name}.sql, cached until the data changes (clear_caches)."""
    return _query(str(store.db_path()), name, **params)


@st.cache_data(show_spinner=False)
def _choices(path: str) -> dict[str, list[str]]:
    found = store.run_query(_connection(path), "filter_choices")
    return {name: views.choices(found, name) for name in FILTER_KEYS}


def filter_choices() -> dict[str, list[str]]:
    """The values each shared filter offers (filter_choices.sql), by filter."""
    return _choices(str(store.db_path()))


def clear_caches() -> None:
    """Forget every cached result: called after a commit or an undo changes the data."""
    _query.clear()
    _dry_run.clear()
    _drawn.clear()
    _choices.clear()
    _pack.clear()
    _template_files.clear()


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs={User: repr})
def _dry_run(path: str, kind: str, file_name: str, data: bytes, user: User) -> ImportResult:
    return ingest.import_file(
        _connection(path), kind, file_name, data, dry_run=True, imported_by=user
    )


def check_upload(kind: str, file_name: str, data: bytes, user: User) -> ImportResult:
    """Validate a file as this user would import it, writing nothing (cached per file and
    user while the data is unchanged)."""
    return _dry_run(str(store.db_path()), kind, file_name, data, user)


def commit_upload(kind: str, file_name: str, data: bytes, user: User) -> ImportResult:
    """Import the file for real, then clear the caches so every page shows the new state."""
    result = ingest.import_file(connection(), kind, file_name, data, imported_by=user)
    clear_caches()
    return result


def undo_batch(batch_id: int, user: User) -> None:
    ingest.undo_batch(connection(), batch_id, user)
    clear_caches()


_DECISION_KEY = "decision_outcome"


@dataclass(frozen=True)
class DecisionForm:
    """The keys of the decision form's widgets: the meeting, accepted or not (a bool), the
    minute and the reason."""

    meeting: str = "decide_meeting"
    accepted: str = "decide_accepted"
    minute: str = "decide_minute"
    reason: str = "decide_reason"


def record_decision(rec_id: str, user: User, form: DecisionForm) -> None:
    """The decision form's on_click: record the Board's decision on the proposed closure
    as the form holds it, so the page then runs with the closure gone from its list. Once
    recorded, the minute and reason are emptied for the next proposal; refused, they stay
    to be put right. What was recorded, or why not, is said once by decision_outcome."""
    state = st.session_state
    decision = decisions.Decision(
        rec_id,
        state[form.meeting],
        bool(state[form.accepted]),
        minute=state[form.minute],
        reason=state[form.reason],
    )
    try:
        batch_id = decisions.decide(connection(), user, decision)
    except TrackerError as refused:
        state[_DECISION_KEY] = ("error", str(refused))
        return
    clear_caches()
    state[_DECISION_KEY] = ("success", views.decision_message(rec_id, batch_id, decision.accepted))
    state[form.minute] = state[form.reason] = ""


def decision_outcome() -> tuple[str, str] | None:
    """What the last decision form in this session led to, once: ("success", what was
    recorded) or ("error", why nothing was)."""
    outcome: tuple[str, str] | None = st.session_state.pop(_DECISION_KEY, None)
    return outcome


# --- Who the page runs for ------------------------------------------------------------

_USER: ContextVar[User | None] = ContextVar("signed_in_user", default=None)


def current_user() -> User:
    """The signed-in user the page runs for (set by dashboard.py through run_framed)."""
    user = _USER.get()
    if user is None:
        raise NotAllowed("Sign in to see this page.")
    return user


def require_permission(permission: str) -> User:
    """Called first by a page that only some roles may open: a refusal in words for the
    others, and nothing else of the page."""
    user = current_user()
    try:
        auth.require(user, permission)
    except NotAllowed as refused:
        st.error(str(refused))
        st.stop()
    return user


# --- Pages ----------------------------------------------------------------------------

# (script, title, URL, the permission needed to open it: None for every signed-in user)
PAGES = (
    ("pages/1_overview.py", "Overview", "overview", None),
    ("pages/2_recommendations.py", "Recommendations", "recommendations", None),
    ("pages/3_meetings.py", "Meetings", "meetings", None),
    ("pages/4_overdue.py", "Overdue", "overdue", None),
    ("pages/5_upload.py", "Upload", "upload", "import-updates"),
    ("pages/6_decisions.py", "Closure decisions", "decisions", "decide-closure"),
    ("pages/7_audit.py", "Audit trail", "audit", "read-audit"),
    ("pages/9_accessibility.py", "Accessibility", "accessibility", None),
)

_FRAMED: ContextVar[bool] = ContextVar("framed_by_dashboard", default=False)


def pages() -> list[Any]:
    """Every page, each at a short URL that can be shared. All are registered whatever the
    role, so a page a role may not open answers with a refusal rather than "not found";
    the sidebar lists only the pages the user may open (sidebar_navigation). The Overview,
    the default page, is at the root URL; it is also at /overview (what the other pages'
    URLs suggest), rather than Streamlit's "Page not found" there."""
    # (A page is known by its url_path, the default one's too, though it is served at "/":
    # the default's is "home" so that "overview" is free for the Overview's second URL.)
    registered = [
        st.Page(script, title=title, url_path="home" if url == "overview" else url,
                default=url == "overview")
        for script, title, url, _ in PAGES
    ]  # fmt: skip
    overview = st.Page(PAGES[0][0], title="Overview", url_path="overview", visibility="hidden")
    return [*registered, overview]


def visible_pages(user: User, registered: list[Any]) -> list[Any]:
    """Of the pages registered this run (pages()), those this user may open."""
    return [
        page
        for page, (_, _, _, needs) in zip(registered[: len(PAGES)], PAGES, strict=True)
        if needs is None or user.may(needs)
    ]


def run_framed(page: Any, user: User) -> None:
    """Run the chosen page inside dashboard.py for the signed-in user (see
    require_dashboard)."""
    framed, signed_in = _FRAMED.set(True), _USER.set(user)
    try:
        page.run()
    finally:
        _FRAMED.reset(framed)
        _USER.reset(signed_in)


def require_dashboard() -> None:
    """Called first by every page. Until st.navigation has been called once in the server
    process, Streamlit treats pages/ as a legacy folder of pages and runs a page URL's script
    on its own, without dashboard.py: the first visit after a restart through a shared link
    would lose the filters and the banner. That visit switches the legacy mode off (by
    calling st.navigation) and reruns, so dashboard.py frames the page."""
    if not _FRAMED.get():
        st.navigation(pages(), position="hidden")
        st.rerun()


# --- Shared filters -------------------------------------------------------------------


def current_filters() -> views.Filters:
    """The filters as the sidebar set them this run (defaults when it was not drawn)."""
    chosen = {k: st.session_state.get(k) for k in FILTER_KEYS}
    as_at = st.session_state.get("as_at")
    if not isinstance(as_at, dt.date):
        as_at = views.london_today()
    return views.Filters(**chosen, as_at=as_at)


# --- Rendering helpers ----------------------------------------------------------------


def date_columns(*names: str) -> dict[str, Any]:
    """Column settings that show dates as '13 Sep 2021' but still sort as dates."""
    return {n: st.column_config.DateColumn(n.replace("_", " "), format=DATE_FORMAT) for n in names}


def link_column() -> dict[str, Any]:
    """The 'link' column of views.with_detail_links, shown as the recommendation id."""
    return {
        "link": st.column_config.LinkColumn(
            "recommendation",
            display_text=r"rec=(.*)$",
            help="Opens the recommendation's detail in a new tab",
        ),
        "rec_id": None,  # the link shows the id already
    }


def table(
    frame: pd.DataFrame,
    key: str,
    dates: tuple[str, ...] = (),
    links: bool = False,
    times: tuple[str, ...] = (),
    paged: bool = False,
    searchable: bool = False,
) -> None:
    """A read-only table: text as text, dates as '13 Sep 2021', optional detail links;
    an empty result reads 'None.' rather than an empty grid. A paged table (one page of a
    list query: see paged_query) says which rows it shows and offers Previous and Next (and
    says the page's search narrows it too, when `searchable`)."""
    config: dict[str, Any] = {c: str(c).replace("_", " ") for c in frame.columns}
    # Counts read "37,500" (in the browser's own convention); ids stay as they are.
    config |= {
        c: st.column_config.NumberColumn(str(c).replace("_", " "), format="localized")
        for c, dtype in frame.dtypes.items()
        if pd.api.types.is_integer_dtype(dtype) and not str(c).endswith(("_id", "row"))
    }
    config |= {**date_columns(*dates), **(link_column() if links else {})}
    config |= {
        n: st.column_config.DatetimeColumn(n.replace("_", " "), format=TIME_FORMAT) for n in times
    }
    # The keyed container names the table for tests and for the browser (.st-key-table-…).
    with st.container(key=f"table-{key}"):
        if frame.empty:
            st.text("None.")
            return
        shown = views.without_counts(frame)
        st.dataframe(
            shown,
            key=key,
            hide_index=True,
            column_config=config,
            width="stretch",
            height=table_height(len(shown)),
            placeholder="—",
        )
        if paged:
            pager(key, len(shown), views.total_rows(frame), searchable)


def _offset_key(key: str) -> str:
    return f"{key}_offset"


def page_offset(key: str) -> int:
    """Where the paged table `key` starts this run (0: its first page)."""
    return int(st.session_state.get(_offset_key(key), 0))


def _first_page_when_changed(key: str, params: dict[str, Any]) -> None:
    """A table opens at its first page again when what it lists changes (a filter, the
    search, the meeting)."""
    listing = repr(sorted(params.items()))
    if st.session_state.get(f"{key}_listing") != listing:
        st.session_state[f"{key}_listing"] = listing
        st.session_state[_offset_key(key)] = 0


def paged_query(name: str, key: str, **params: Any) -> pd.DataFrame:
    """The page of queries/{name}.sql that the table `key` shows ($limit and $offset). A
    page past the end (the data changed under it) goes back to the first."""
    _first_page_when_changed(key, params)
    offset = page_offset(key)
    frame = query(name, **params, limit=views.PAGE_ROWS, offset=offset)
    if frame.empty and offset:
        st.session_state[_offset_key(key)] = 0
        frame = query(name, **params, limit=views.PAGE_ROWS, offset=0)
    return frame


def _turn_page(key: str, offset: int) -> None:
    st.session_state[_offset_key(key)] = max(offset, 0)


def pager(key: str, shown: int, total: int, searchable: bool = False) -> None:
    """Which rows the table shows, and buttons to the previous and next page."""
    offset = page_offset(key)
    caption = views.page_caption(offset, shown, total, searchable)
    if caption is None:
        return
    st.caption(caption)
    back, forward = st.columns(2)
    back.button(
        f"Previous {views.PAGE_ROWS}",
        key=f"{key}_previous",
        on_click=_turn_page,
        args=(key, offset - views.PAGE_ROWS),
        disabled=offset == 0,
    )
    forward.button(
        f"Next {views.PAGE_ROWS}",
        key=f"{key}_next",
        on_click=_turn_page,
        args=(key, offset + views.PAGE_ROWS),
        disabled=offset + shown >= total,
    )


def meeting_changes(meeting_id: str, selection: dict[str, Any]) -> pd.DataFrame:
    """The page of each kind of change that its table shows (meeting_changes.sql)."""
    keys = [change_table_key(kind) for kind in views.CHANGE_KINDS]
    for key in keys:
        _first_page_when_changed(key, {"meeting_id": meeting_id, **selection})
    offsets = [page_offset(k) for k in keys]
    params = {"meeting_id": meeting_id, **selection, "limit": views.PAGE_ROWS}
    changes = query("meeting_changes", **params, offsets=offsets)
    shown = set(changes["change"])
    past_the_end = [
        i for i, kind in enumerate(views.CHANGE_KINDS) if offsets[i] and kind not in shown
    ]
    if past_the_end:
        for i in past_the_end:
            st.session_state[_offset_key(keys[i])] = 0
            offsets[i] = 0
        changes = query("meeting_changes", **params, offsets=offsets)
    return changes


def owed_by_lead(owed: pd.DataFrame, chosen: dict[str, Any]) -> pd.DataFrame:
    """How many updates each lead owes for the meeting: counted from the page of
    updates_owed.sql when it holds every row, else by updates_owed_by_lead.sql."""
    counted = views.owed_by_lead(owed)
    return query("updates_owed_by_lead", **chosen) if counted is None else counted


def change_table_key(kind: str) -> str:
    return views.slug(f"changes {kind}")


def table_height(rows: int) -> int | Literal["auto"]:
    """Tall enough to show up to 25 rows without scrolling inside the table."""
    return "auto" if rows <= 10 else 38 + 35 * min(rows, 25)


# Building a plotly figure validates every property (tens of milliseconds a chart, more than
# the queries behind it), and pivoting its numbers into a table takes pandas a few more:
# each is made once for the query result it draws (known by the query and its parameters,
# cheaper to compare than the rows), and shared: never changed once made.
@st.cache_resource(show_spinner=False, max_entries=128)
def _drawn(
    _make: Callable[[pd.DataFrame], Any], made_by: str, drawing: str, _frame: pd.DataFrame
) -> Any:
    return _make(_frame)


def chart_with_numbers(
    chart: Callable[[pd.DataFrame], Any],
    numbers: Callable[[pd.DataFrame], pd.DataFrame],
    summary: Callable[[pd.DataFrame], str],
    name: str,
    key: str,
    **params: Any,
) -> None:
    """What queries/{name}.sql returns, drawn: a sentence saying what it shows now
    (summary), the chart, and its numbers as a table under it."""
    frame = query(name, **params)
    drawing = f"{name} {sorted(params.items())!r}"

    def made(make: Callable[[pd.DataFrame], Any]) -> Any:
        return _drawn(make, f"{make.__module__}.{make.__qualname__}", drawing, frame)

    st.markdown(views.escape_markdown(made(summary)))
    st.plotly_chart(made(chart), key=key, width="stretch", config={"displaylogo": False})
    st.caption("The numbers in the chart above")
    table(made(numbers), key=f"{key}_numbers")


def fact_grid(facts: list[tuple[str, str]], columns: int = 4) -> None:
    """Short labelled facts in a grid, each value as plain text."""
    for column, (label, value) in zip(st.columns(columns) * len(facts), facts, strict=False):
        column.markdown(f"**{label}**")
        column.text(value)


def update_cards(updates: pd.DataFrame, key: str) -> None:
    """Each update in a bordered card: who, when, what; every written part as plain text.
    A long history shows its newest views.UPDATE_CARDS until 'Show every update' is on
    (the chart and its table above cover every meeting)."""
    shown = updates
    if len(updates) > views.UPDATE_CARDS:
        every = st.toggle(f"Show every update ({len(updates)})", key=key)
        if not every:
            shown = updates.head(views.UPDATE_CARDS)
            st.caption(f"The newest {views.UPDATE_CARDS} of {len(updates)} updates.")
    for _, update in shown.iterrows():
        heading = views.update_heading(update)
        if update.get("kind") == "decision":  # the Board's, recorded by the chair
            heading = "Board decision · " + heading.replace("reported by", "recorded by")
        with st.container(border=True):
            st.text(heading)
            for label, text in views.update_sections(update):
                labelled_text(label, text)


def labelled_text(label: str, text: Any) -> None:
    """A label in bold and user-written text under it, shown as plain text."""
    st.markdown(f"**{label}**")
    st.text(text if isinstance(text, str) and text else views.NOT_SET)


# --- Downloads ------------------------------------------------------------------------


def asked_for(asked: str, label: str, key: str, place: Any) -> bool:
    """Whether this session asked for the file `asked` names; if not, a button (in place)
    that asks. A file made on a download's own click is deleted by Streamlit once two other
    script runs end, so a slow file is made on a click of this, then downloaded."""
    if st.session_state.get(asked):
        return True
    place.button(label, key=key, on_click=st.session_state.__setitem__, args=(asked, True))
    return False


@st.cache_data(show_spinner=False, max_entries=16)
def _pack(path: str, meeting_id: str, fmt: str) -> bytes:
    return packs.build(_connection(path), meeting_id, fmt)


def board_pack(meeting_id: str, fmt: str) -> bytes:
    """The board pack of a meeting in one format (packs.FORMATS), made once and shared
    until the data changes: the PDF takes a few seconds of Chromium."""
    return _pack(str(store.db_path()), meeting_id, fmt)


@st.cache_data(show_spinner=False, max_entries=16)
def _template_files(path: str, kind: str, lead: str | None, today: dt.date) -> dict[str, bytes]:
    rows = None
    if kind == "updates":
        rows = store.run_query(_connection(path), "upload_template_rows", lead=lead, today=today)
    return upload_templates.template_files(kind, rows, lead)


def template_files(kind: str, lead: str | None, today: dt.date) -> dict[str, bytes]:
    """{file name: bytes} of the upload templates of a kind (one lead's, or every open
    recommendation), cached until the data changes."""
    return _template_files(str(store.db_path()), kind, lead, today)


def record_export(user: User, target: str, what: str) -> None:
    """A download's on_click: the export in the audit trail."""
    audit.record_alone(connection(), user.username, "export", target, "success", what)


# --- Choices kept in the URL ----------------------------------------------------------


def url_choice(
    label: str,
    options: list[str],
    key: str,
    labels: dict[str, str],
    default: str | None = None,
    placeholder: str = "Choose",
) -> str | None:
    """A selectbox whose choice lives in the URL as ?{key}=value, so a link reopens it.

    (Not bind="query-params": that writes the displayed label into the URL, and these
    labels are long; the id is what a shared link should carry.)"""
    wanted = st.query_params.get(key)
    start = wanted if wanted in options else default
    return st.selectbox(
        label,
        options,
        index=options.index(start) if start in options else None,
        key=f"{key}_choice",
        format_func=lambda o: labels.get(o, o),
        placeholder=placeholder,
        on_change=_sync_url,
        args=(key,),
    )


def _sync_url(key: str) -> None:
    value = st.session_state.get(f"{key}_choice")
    if value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
