"""Audit trail (chair): every sign-in, import, undo, closure proposal and decision, export
and change to users, filtered, a page at a time, and downloadable as CSV."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import audit, presenting, web

web.require_dashboard()
user = web.require_permission("read-audit")

st.title("Audit trail")
st.caption("Append-only: events are added, never changed or removed.")
# Read afresh each run: sign-ins and exports add events without clearing any cache.
offered = web.fresh_query("audit_filter_choices")
left, middle, right = st.columns(3)
action = left.selectbox("Action", audit.ACTIONS, index=None, key="audit_action", placeholder="All")
actor = middle.selectbox(
    "Who",
    presenting.choices(offered, "actor"),
    index=None,
    key="audit_actor",
    placeholder="Anyone",
)
outcome = right.selectbox(
    "Outcome",
    presenting.choices(offered, "outcome"),
    index=None,
    key="audit_outcome",
    placeholder="All",
)
since, until = st.columns(2)
start = since.date_input("From", value=None, key="audit_since", format="DD/MM/YYYY")
end = until.date_input("To", value=None, key="audit_until", format="DD/MM/YYYY")

chosen = {"action": action, "actor": actor, "outcome": outcome, "since": start, "until": end}
events = web.paged_query("audit_events", "audit_events", fresh=True, **chosen)
total = presenting.total_rows(events)
st.header(f"Events ({total:,})")
st.download_button(
    "Download these events (CSV)",
    web.audit_events_csv(**chosen),  # made on the click, every event the filters select
    file_name="audit-events.csv",
    mime="text/csv",
    key="audit_csv",
    on_click=web.record_export,
    args=(user, "audit trail", f"{total:,} event(s) as CSV"),
)
web.table(
    events, key="audit_events", times=("occurred_at",), paged=True, narrowed_by="the filters above"
)
