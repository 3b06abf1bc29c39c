"""Meetings: what changed since the previous meeting of the same body, and who owes an update."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import views, web

web.require_dashboard()

filters = web.current_filters()
st.title("Meetings")
meetings = web.query("meeting_list")
labels = views.meeting_labels(meetings)
default = views.default_meeting(meetings, filters.as_at)
if default is None:
    st.info("No meetings yet. Upload a meetings file on the Upload page.")
    st.stop()
meeting_id = web.url_choice("Meeting", list(labels), "meeting", labels, default=default)
st.caption(views.previous_meeting_text(meetings, meeting_id) + " Filters other than 'as at' apply.")
st.caption("Board pack for this meeting (every recommendation the body follows; no filters):")
web.pack_downloads(meeting_id)

changes = web.meeting_changes(meeting_id, filters.selection())
by_kind = views.changes_by_kind(changes)
st.header(f"What changed ({sum(views.total_rows(rows) for _, rows in by_kind):,})")
for kind, rows in by_kind:
    st.subheader(f"{kind} ({views.total_rows(rows):,})")
    if rows.empty:
        st.text("None.")
    else:
        key = web.change_table_key(kind)
        web.table(views.with_detail_links(rows), key=key, links=True, paged=True)

chosen = {"meeting_id": meeting_id, **filters.selection()}
owed = web.paged_query("updates_owed", "owed", **chosen)
st.header(f"Who owes an update ({views.total_rows(owed):,})")
st.caption("Open recommendations this body follows with no update for this meeting, by lead.")
if owed.empty:
    st.text("Every open recommendation has an update for this meeting.")
else:
    web.table(web.owed_by_lead(owed, chosen), key="owed_by_lead")
    web.table(
        views.with_detail_links(owed),
        key="owed",
        dates=("last_update_on", "due"),
        links=True,
        paged=True,
    )
