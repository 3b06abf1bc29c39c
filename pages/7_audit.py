"""Audit trail (chair): every sign-in, import, undo, closure proposal and decision, export
and change to users, filtered, and downloadable as CSV."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import audit, spreadsheets, web

web.require_dashboard()
user = web.require_permission("read-audit")

st.title("Audit trail")
st.caption("Append-only: events are added, never changed or removed.")
every = web.query("audit_events", action=None, actor=None, outcome=None, since=None, until=None)
left, middle, right = st.columns(3)
action = left.selectbox("Action", audit.ACTIONS, index=None, key="audit_action", placeholder="All")
actor = middle.selectbox(
    "Who", sorted(set(every["actor"])), index=None, key="audit_actor", placeholder="Anyone"
)
outcome = right.selectbox(
    "Outcome", sorted(set(every["outcome"])), index=None, key="audit_outcome", placeholder="All"
)
since, until = st.columns(2)
start = since.date_input("From", value=None, key="audit_since", format="DD/MM/YYYY")
end = until.date_input("To", value=None, key="audit_until", format="DD/MM/YYYY")

events = web.query(
    "audit_events", action=action, actor=actor, outcome=outcome, since=start, until=end
)
st.header(f"Events ({len(events):,})")
st.download_button(
    "Download these events (CSV)",
    spreadsheets.csv_bytes(events),  # a file name like '=cmd|...' stays text in Excel
    file_name="audit-events.csv",
    mime="text/csv",
    key="audit_csv",
    on_click=web.record_export,
    args=(user, "audit trail", f"{len(events):,} event(s) as CSV"),
)
web.table(events, key="audit_events", times=("occurred_at",))
