"""Closure decisions (chair): the second key. Each closure a lead proposed, with its
evidence; the chair records the Board's decision: accepted (Complete, with the minute) or
not accepted (back to In progress, with the reason)."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import presenting, web

FORM = web.DecisionForm()

web.require_dashboard()
user = web.require_permission("decide-closure")

st.title("Closure decisions")
st.caption(
    "A lead proposes closure with evidence; the Board decides. Record the decision here: "
    "it shows in the recommendation's history and can be undone from the Upload page."
)
outcome = web.decision_outcome()
if outcome and outcome[0] == "success":
    st.success(outcome[1])

proposed = web.query("proposed_closures")
st.header(f"Waiting for a decision ({len(proposed):,})")
web.table(presenting.proposals_table(proposed), key="proposed_closures", dates=("proposed_on",))
if proposed.empty:
    st.stop()

labels = presenting.recommendation_labels(proposed)
rec_id = st.selectbox(  # ?rec= (presenting mode's link) opens on that recommendation
    "Recommendation",
    list(labels),
    index=presenting.chosen_index(list(labels), st.query_params.get("rec")),
    format_func=labels.__getitem__,
    key="decide_rec",
)
chosen = presenting.proposal_of(proposed, rec_id)
web.labelled_text("Proposal", chosen["narrative"])
web.labelled_text("Evidence", chosen["evidence"])

meetings = web.query("decision_meetings", proposed_at=chosen["proposed_at"])
meeting_labels = presenting.meeting_labels(meetings)
if not meeting_labels:
    st.info(
        f"The closure of {rec_id} was proposed for a meeting not yet held; the decision can "
        "be recorded once the meeting has taken place."
    )
    st.stop()
with st.form("decision"):
    st.selectbox(
        "Decided at the meeting",
        list(meeting_labels),
        format_func=meeting_labels.__getitem__,
        key=FORM.meeting,
    )
    st.radio(
        "The Board's decision",
        [True, False],
        format_func=presenting.verdict_label,
        key=FORM.accepted,
    )
    st.text_input("Minute reference (when accepted)", key=FORM.minute)
    st.text_area("Reason (when not accepted)", key=FORM.reason)
    st.form_submit_button(
        "Record the decision",
        type="primary",
        key="decide_submit",
        on_click=web.record_decision,
        args=(rec_id, user, FORM),
    )
if outcome and outcome[0] == "error":
    st.error(outcome[1])
