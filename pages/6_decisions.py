"""Closure decisions (chair): the second key. Each closure a lead proposed, with its
evidence; the chair records the Board's decision: accepted (Complete, with the minute) or
not accepted (back to In progress, with the reason)."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import views, web

web.require_dashboard()
user = web.require_permission("decide-closure")

st.title("Closure decisions")
st.caption(
    "A lead proposes closure with evidence; the Board decides. Record the decision here: "
    "it shows in the recommendation's history and can be undone from the Upload page."
)
outcome = web.decision_outcome()
if outcome:
    st.success(outcome)

proposed = web.query("proposed_closures")
st.header(f"Waiting for a decision ({len(proposed):,})")
web.table(views.proposals_table(proposed), key="proposed_closures", dates=("proposed_on",))
if proposed.empty:
    st.stop()

labels = views.recommendation_labels(proposed)
rec_id = st.selectbox(
    "Recommendation", list(labels), format_func=labels.__getitem__, key="decide_rec"
)
chosen = views.proposal_of(proposed, rec_id)
web.labelled_text("Proposal", chosen["narrative"])
web.labelled_text("Evidence", chosen["evidence"])

meetings = web.query("decision_meetings", proposed_at=chosen["proposed_at"])
meeting_labels = views.meeting_labels(meetings)
if not meeting_labels:
    st.info(
        f"The closure of {rec_id} was proposed for a meeting not yet held; the decision can "
        "be recorded once the meeting has taken place."
    )
    st.stop()
with st.form("decision", clear_on_submit=True):
    meeting_id = st.selectbox(
        "Decided at the meeting",
        list(meeting_labels),
        format_func=meeting_labels.__getitem__,
        key="decide_meeting",
    )
    verdict = st.radio(
        "The Board's decision",
        ["Accepted: the recommendation is complete", "Not accepted: back to In progress"],
        key="decide_verdict",
    )
    minute = st.text_input("Minute reference (when accepted)", key="decide_minute")
    reason = st.text_area("Reason (when not accepted)", key="decide_reason")
    submitted = st.form_submit_button("Record the decision", type="primary")
if submitted:
    web.record_decision(rec_id, meeting_id, verdict.startswith("Accepted"), minute, reason, user)
