"""What the pages draw: tables (text as text, dates as '13 Sep 2021'), charts with their
numbers, facts, update cards, and choices kept in the URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import pandas as pd
import streamlit as st

from cjb_tracker import presenting
from cjb_tracker.web.data import drawn, query
from cjb_tracker.web.paging import pager

DATE_FORMAT = "D MMM YYYY"  # moment.js: 13 Sep 2021
TIME_FORMAT = "D MMM YYYY, HH:mm"


def date_columns(*names: str) -> dict[str, Any]:
    """Column settings that show dates as '13 Sep 2021' but still sort as dates."""
    return {n: st.column_config.DateColumn(n.replace("_", " "), format=DATE_FORMAT) for n in names}


def link_column() -> dict[str, Any]:
    """The 'link' column of presenting.with_detail_links, shown as the recommendation id."""
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
    narrowed_by: str | None = presenting.SIDEBAR_FILTERS,
) -> None:
    """A read-only table: text as text, dates as '13 Sep 2021', optional detail links;
    an empty result reads 'None.' rather than an empty grid. A paged table (one page of a
    list query: see paged_query) says which rows it shows and offers Previous and Next, and
    says what narrows it: `narrowed_by` (the sidebar's filters unless told; None for a list
    no filter narrows) and the page's search, when `searchable`."""
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
        shown = presenting.without_counts(frame)
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
            total = presenting.total_rows(frame)
            pager(key, len(shown), total, searchable, narrowed_by)


def table_height(rows: int) -> int | Literal["auto"]:
    """Tall enough to show up to 25 rows without scrolling inside the table."""
    return "auto" if rows <= 10 else 38 + 35 * min(rows, 25)


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
        return drawn(make, f"{make.__module__}.{make.__qualname__}", drawing, frame)

    st.markdown(presenting.escape_markdown(made(summary)))
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
    A long history shows its newest presenting.UPDATE_CARDS until 'Show every update' is on
    (the chart and its table above cover every meeting)."""
    shown = updates
    if len(updates) > presenting.UPDATE_CARDS:
        every = st.toggle(f"Show every update ({len(updates)})", key=key)
        if not every:
            shown = updates.head(presenting.UPDATE_CARDS)
            st.caption(f"The newest {presenting.UPDATE_CARDS} of {len(updates)} updates.")
    for _, update in shown.iterrows():
        heading = presenting.update_heading(update)
        if update.get("kind") == "decision":  # the Board's, recorded by the chair
            heading = "Board decision · " + heading.replace("reported by", "recorded by")
        with st.container(border=True):
            st.text(heading)
            for label, text in presenting.update_sections(update):
                labelled_text(label, text)


def labelled_text(label: str, text: Any) -> None:
    """A label in bold and user-written text under it, shown as plain text."""
    st.markdown(f"**{label}**")
    st.text(text if isinstance(text, str) and text else presenting.NOT_SET)


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


def say(outcome: tuple[str, str] | None) -> None:
    """What a write led to (web.commit_outcome and the others), shown as its level: a
    success, a warning, or an error (never an error shown as a warning)."""
    if outcome is None:
        return
    level, message = outcome
    {"success": st.success, "warning": st.warning}.get(level, st.error)(message)
