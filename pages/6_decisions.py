"""Closure decisions (chair): the second key. Each closure a lead proposed, with its
evidence; the chair records the Board's decision: accepted (Complete, with the minute) or
not accepted (back to In progress, with the reason). And the Board's decision to reopen a
closed recommendation, with the reason: no upload can."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from cjb_tracker import presenting, web

if TYPE_CHECKING:
    import pandas as pd

FORM = web.DecisionForm()
REOPEN = web.ReopenForm()

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


def reopening() -> None:
    """The Board's decision to reopen a closed recommendation, with the reason."""
    st.header("Reopen a closed recommendation")
    closed = web.query("closed_recommendations")
    if closed.empty:
        st.text("No recommendation is closed.")
        return
    labels = presenting.recommendation_labels(closed)
    rec = st.selectbox("Closed recommendation", list(labels), format_func=labels.__getitem__,
                       index=None, key="reopen_rec", placeholder="Choose")  # fmt: skip
    if rec is None:
        return
    meetings = web.query(
        "decision_meetings", proposed_at=presenting.proposal_of(closed, rec)["closed_at"]
    )
    meeting_labels = presenting.meeting_labels(meetings)
    with st.form("reopen"):
        st.selectbox("Reopened at the meeting", list(meeting_labels),
                     format_func=meeting_labels.__getitem__, key=REOPEN.meeting)  # fmt: skip
        st.text_area("Why the Board reopened it", key=REOPEN.reason)
        st.form_submit_button("Record the reopening", key="reopen_submit",
                              on_click=web.record_reopening, args=(rec, user, REOPEN))  # fmt: skip


def decision_form(proposed: pd.DataFrame) -> None:
    """The Board's decision on one proposed closure."""
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
            f"The closure of {rec_id} was proposed for a meeting not yet held; the decision "
            "can be recorded once the meeting has taken place."
        )
        return
    with st.form("decision"):
        st.selectbox("Decided at the meeting", list(meeting_labels),
                     format_func=meeting_labels.__getitem__, key=FORM.meeting)  # fmt: skip
        st.radio("The Board's decision", [True, False], format_func=presenting.verdict_label,
                 key=FORM.accepted)  # fmt: skip
        st.text_input("Minute reference (when accepted)", key=FORM.minute)
        st.text_area("Reason (when not accepted)", key=FORM.reason)
        st.form_submit_button("Record the decision", type="primary", key="decide_submit",
                              on_click=web.record_decision, args=(rec_id, user, FORM))  # fmt: skip


proposed = web.query("proposed_closures")
st.header(f"Waiting for a decision ({len(proposed):,})")
web.table(presenting.proposals_table(proposed), key="proposed_closures", dates=("proposed_on",))
if not proposed.empty:
    decision_form(proposed)
if outcome and outcome[0] == "error":
    st.error(outcome[1])
reopening()
