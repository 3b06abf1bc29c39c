"""Recommendations: a searchable table; choosing one opens its detail."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import charts, presenting, web

web.require_dashboard()

filters = web.current_filters()
st.title("Recommendations")
st.caption(filters.describe())

search = st.text_input(
    "Search",
    key="q",
    bind="query-params",
    placeholder="id, words from the title or text, lead, addressee",
)
listed = web.paged_query(
    "recommendation_list", "recommendation_table", **filters.params(), search=search or None
)
linked = st.query_params.get("rec")
labels = presenting.recommendation_choices(  # the table's page, and the one a link asks for
    listed,
    web.query("recommendation_detail", rec_id=linked, as_at=filters.as_at) if linked else None,
)
rec_id = web.url_choice(
    "Recommendation", list(labels), "rec", labels, placeholder="Choose one to see its detail"
)

if rec_id is None:
    st.caption(
        f"{presenting.total_rows(listed):,} recommendations. Open one with the link in the "
        "first column."
    )
    web.table(
        presenting.recommendation_table(listed),
        key="recommendation_table",
        dates=("due",),
        links=True,
        paged=True,
        searchable=True,
    )
    st.stop()

detail = web.query("recommendation_detail", rec_id=rec_id, as_at=filters.as_at).iloc[0]
st.header(f"{rec_id}: {presenting.escape_markdown(detail['title'])}")
web.fact_grid(presenting.detail_facts(detail))
web.labelled_text("Recommendation", detail["text"])
web.labelled_text("Initial response (source letter)", detail["initial_response"])
st.subheader("Addressees")
web.table(web.query("addressees_of_recommendation", rec_id=rec_id), key="addressees")

web.chart_with_numbers(
    charts.status_timeline_chart,
    presenting.timeline_table,
    charts.status_timeline_summary,
    "recommendation_updates",
    key="timeline",
    rec_id=rec_id,
)
st.subheader("Outcome measures it is meant to move")
web.linked_measures(rec_id, filters.as_at, web.current_user())
st.subheader("Due-date history")
history = web.query("due_date_history", rec_id=rec_id)
st.text(
    f"Total days slipped against the original due date: {presenting.total_days_slipped(history)}"
)
web.table(presenting.due_history_table(history), key="due_history")
updates = web.query("recommendation_updates", rec_id=rec_id)
st.subheader(f"Updates, newest first ({len(updates):,})")
web.update_cards(updates, key="every_update")
