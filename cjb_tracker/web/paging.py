"""Long tables a page at a time: which rows a paged table shows, the query for that page,
and the Previous / Next buttons under it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from cjb_tracker import presenting
from cjb_tracker.web.data import fresh_query, query


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


def paged_query(name: str, key: str, *, fresh: bool = False, **params: Any) -> pd.DataFrame:
    """The page of queries/{name}.sql that the table `key` shows ($limit and $offset),
    cached until a write changes the data, or read afresh (`fresh`: for what changes with
    no write clearing the caches, like the audit trail's sign-ins and exports). A page past
    the end (the data changed under it) goes back to the first."""
    read = fresh_query if fresh else query
    _first_page_when_changed(key, params)
    offset = page_offset(key)
    frame = read(name, **params, limit=presenting.PAGE_ROWS, offset=offset)
    if frame.empty and offset:
        st.session_state[_offset_key(key)] = 0
        offset = 0
        frame = read(name, **params, limit=presenting.PAGE_ROWS, offset=0)
    _remember_drawing(key, None if fresh else f"{name} {sorted(params.items())!r} from {offset}")
    return frame


def _remember_drawing(key: str, drawing: str | None) -> None:
    st.session_state[f"{key}_drawing"] = drawing


def drawing_of(key: str) -> str | None:
    """Which cached query result the table `key` shows this run (its query, parameters and
    page), so what is drawn of it can be made once and shared (data.drawn); None when it
    was read afresh or not by paged_query."""
    found = st.session_state.get(f"{key}_drawing")
    return found if isinstance(found, str) else None


def _turn_page(key: str, offset: int) -> None:
    st.session_state[_offset_key(key)] = max(offset, 0)


def pager(
    key: str,
    shown: int,
    total: int,
    searchable: bool = False,
    narrowed_by: str | None = presenting.SIDEBAR_FILTERS,
) -> None:
    """Which rows the table shows (and what narrows them), and buttons to the previous and
    next page."""
    offset = page_offset(key)
    caption = presenting.page_caption(offset, shown, total, searchable, narrowed_by)
    if caption is None:
        return
    st.caption(caption)
    back, forward = st.columns(2)
    back.button(
        f"Previous {presenting.PAGE_ROWS}",
        key=f"{key}_previous",
        on_click=_turn_page,
        args=(key, offset - presenting.PAGE_ROWS),
        disabled=offset == 0,
    )
    forward.button(
        f"Next {presenting.PAGE_ROWS}",
        key=f"{key}_next",
        on_click=_turn_page,
        args=(key, offset + presenting.PAGE_ROWS),
        disabled=offset + shown >= total,
    )


def meeting_changes(meeting_id: str, selection: dict[str, Any]) -> pd.DataFrame:
    """The page of each kind of change that its table shows (meeting_changes.sql)."""
    keys = [change_table_key(kind) for kind in presenting.CHANGE_KINDS]
    for key in keys:
        _first_page_when_changed(key, {"meeting_id": meeting_id, **selection})
    offsets = [page_offset(k) for k in keys]
    params = {"meeting_id": meeting_id, **selection, "limit": presenting.PAGE_ROWS}
    changes = query("meeting_changes", **params, offsets=offsets)
    shown = set(changes["change"])
    past_the_end = [
        i for i, kind in enumerate(presenting.CHANGE_KINDS) if offsets[i] and kind not in shown
    ]
    if past_the_end:
        for i in past_the_end:
            st.session_state[_offset_key(keys[i])] = 0
            offsets[i] = 0
        changes = query("meeting_changes", **params, offsets=offsets)
    for kind, key in zip(presenting.CHANGE_KINDS, keys, strict=True):
        _remember_drawing(key, f"meeting_changes {kind} {sorted(params.items())!r} {offsets}")
    return changes


def owed_by_lead(owed: pd.DataFrame, chosen: dict[str, Any]) -> pd.DataFrame:
    """How many updates each lead owes for the meeting: counted from the page of
    updates_owed.sql when it holds every row, else by updates_owed_by_lead.sql."""
    counted = presenting.owed_by_lead(owed)
    return query("updates_owed_by_lead", **chosen) if counted is None else counted


def change_table_key(kind: str) -> str:
    return presenting.slug(f"changes {kind}")
