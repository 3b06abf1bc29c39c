"""Overview: headline counts and how the picture moved, as at the chosen date: in all, and
for each recommendation at each meeting (the progress grid)."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import charts, presenting, web

web.require_dashboard()

filters = web.current_filters()
st.title("Overview")
st.caption(filters.describe())

counts = web.query("headline_counts", **filters.params())
for column, (label, value, help_text) in zip(
    st.columns(3) * 2, presenting.headline_metrics(counts), strict=True
):
    column.metric(label, value, help=help_text, border=True)

web.chart_with_numbers(
    charts.status_by_meeting_chart,
    presenting.status_by_meeting_table,
    charts.status_by_meeting_summary,
    "status_by_meeting",
    key="status_by_meeting",
    **filters.params(),
)
web.progress_grid(filters)
web.chart_with_numbers(
    charts.status_by_addressee_chart,
    presenting.status_by_addressee_table,
    charts.status_by_addressee_summary,
    "status_by_addressee",
    key="status_by_addressee",
    **filters.params(),
)
web.chart_with_numbers(
    charts.rag_mix_chart,
    presenting.rag_table,
    charts.rag_mix_summary,
    "rag_mix",
    key="rag_mix",
    **filters.params(),
)
