"""Overdue: the chair's drill-down into late, undated and stale recommendations."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import presenting, web

web.require_dashboard()

filters = web.current_filters()
st.title("Overdue")
st.caption(filters.describe() + ". Filter by lead, body or addressee in the sidebar.")

overdue = web.paged_query("overdue_recommendations", "overdue_table", **filters.params())
st.header(f"Overdue ({presenting.total_rows(overdue):,})")
if overdue.empty:
    st.text("Nothing is overdue.")
else:
    by = st.radio(
        "Group by", list(presenting.GROUPINGS), horizontal=True, key="group_by", bind="query-params"
    )
    groups = web.query("overdue_groups", **filters.params(), by=presenting.GROUPINGS[by])
    web.table(presenting.overdue_groups_table(groups, by), key="overdue_groups")
    web.text_table(
        overdue,
        key="overdue_table",
        caption="Overdue recommendations",
        links=True,
        dates=("due", "original_due"),
        paged=True,
    )

undated = web.paged_query("recommendations_without_due_date", "undated_table", **filters.params())
st.header(f"No due date set ({presenting.total_rows(undated):,})")
st.caption("A missing due date is a data-quality gap, not 'on time'.")
web.text_table(undated, key="undated_table", caption="No due date set", links=True, paged=True)

stale = web.paged_query("stale_recommendations", "stale_table", **filters.params())
st.header(f"Stale ({presenting.total_rows(stale):,})")
st.caption("Open, with no update at either of the last two meetings of its body.")
web.text_table(
    stale,
    key="stale_table",
    caption="Stale recommendations",
    links=True,
    dates=("last_update_on",),
    paged=True,
)
