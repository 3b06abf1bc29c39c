"""Outcomes: every outcome measure with its latest figure, its change over the last four
periods (better or worse by its own rule), the comparator and the recommendations linked to
it; then each measure's chart with its sentence and numbers."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import presenting, web

web.require_dashboard()

filters = web.current_filters()
st.title("Outcomes")
st.caption(filters.describe())
st.text(
    "Did the work move what it was meant to? Each measure's latest figure for the Board's "
    "area, its change over the last four periods (better or worse by the measure's own "
    "rule), the comparator for the same period, and the recommendations linked to it. With "
    "a filter set, only the measures linked to the recommendations it selects."
)
outcomes = web.query("outcome_measures", **filters.params(), rec_ids=None)
notice = presenting.illustrative_notice(outcomes)
if notice:
    st.warning(notice, icon="⚠️")
web.table(presenting.outcomes_table(outcomes), key="outcomes")
web.outcome_sections(outcomes, filters.as_at)
