"""Tables drawn as HTML (cjb_tracker.markup) where a data grid would cut text off at its
column edge: the tables of what people wrote (a meeting's changes, the overdue lists, an
upload's problems), and the Overview's progress grid with its numbers table and sentence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cjb_tracker import markup, presenting
from cjb_tracker.web.data import drawn, query
from cjb_tracker.web.paging import drawing_of, page_offset, paged_query, pager
from cjb_tracker.web.widgets import table

PROGRESS_KEY = "progress_grid"


def text_table(
    frame: pd.DataFrame,
    key: str,
    caption: str,
    dates: tuple[str, ...] = (),
    links: bool = False,
    paged: bool = False,
    narrowed_by: str | None = presenting.SIDEBAR_FILTERS,
) -> None:
    """A read-only table whose every cell shows all its text, wrapped (markup.text_table):
    for tables of narratives, details and messages. Otherwise as web.table: 'None.' when
    empty; a paged table (one page of a list query) says which rows it shows and what
    narrows them, and offers Previous and Next. The keyed container names it for tests
    and the browser (.st-key-table-…)."""
    with st.container(key=f"table-{key}"):
        if frame.empty:
            st.text("None.")
            return
        shown = presenting.without_counts(frame)
        drawing = drawing_of(key)

        def make(rows: pd.DataFrame) -> str:
            return markup.text_table(rows, caption, dates=dates, links=links)

        if drawing is None:
            st.html(make(shown))
        else:  # one page of a cached query result: made once, shared until the data changes
            st.html(drawn(make, f"text_table {key} {caption} {dates} {links}", drawing, shown))
        if paged:
            pager(key, len(shown), presenting.total_rows(frame), narrowed_by=narrowed_by)


def progress_grid(filters: presenting.Filters) -> None:
    """Every recommendation the filters select at each meeting of the chosen body, a page at
    a time: the sentence naming those that stalled, the key, the grid (each row's id opens
    the recommendation; hovering a cell shows its narrative), the pager, and the same
    content as a table."""
    params = filters.params()
    grid = paged_query("progress_grid", PROGRESS_KEY, **params)
    stalled = query("stalled_recommendations", **params, limit=presenting.STALLED_NAMED)
    st.header("Progress of each recommendation")
    st.markdown(presenting.escape_markdown(presenting.stalled_summary(stalled, filters.body)))
    if grid.empty:
        st.text("No recommendations match the filters.")
        return
    # Made once per page of the query's result (known by its parameters and the page), and
    # shared until the data changes, as the charts are.
    drawing = f"progress_grid {sorted(params.items())!r} from {page_offset(PROGRESS_KEY)}"
    rows = drawn(presenting.progress_table, "progress_table", drawing, grid)
    st.html(markup.grid_legend())
    st.html(drawn(markup.progress_grid, "markup.progress_grid", drawing, grid))
    pager(PROGRESS_KEY, len(rows), presenting.total_rows(rows))
    st.caption(
        "The grid as a table: the status and RAG reported at each meeting; — means no "
        "update at that meeting; a blank, none due (not yet published, or already closed)."
    )
    table(presenting.with_detail_links(rows), key="progress_numbers", links=True)
