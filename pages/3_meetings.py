"""Meetings: what changed since the previous meeting of the same body, and who owes an update."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import ics, packs, presenting, web


def pack_downloads(meeting_id: str) -> None:
    """The board pack for a meeting in each format, made by the server when its link is
    followed (the PDF takes a few seconds of Chromium; once made it is shared until the data
    changes), for a live session only, and audited as it is sent."""
    for column, fmt in zip(st.columns(len(packs.FORMATS)), packs.FORMATS, strict=True):
        web.pack_link(column, meeting_id, fmt)


web.require_dashboard()

filters = web.current_filters()
st.title("Meetings")
meetings = web.query("meeting_list")
labels = presenting.meeting_labels(meetings)
default = presenting.default_meeting(meetings, filters.as_at)
if default is None:
    st.info("No meetings yet. Upload a meetings file on the Upload page.")
    st.stop()
meeting_id = web.url_choice("Meeting", list(labels), "meeting", labels, default=default)
if meeting_id is None:
    st.info("Choose a meeting.")
    st.stop()
st.caption(
    presenting.previous_meeting_text(meetings, meeting_id) + " Filters other than 'as at' apply."
)
st.caption("Board pack for this meeting (every recommendation the body follows; no filters):")
pack_downloads(meeting_id)
calendar_name, calendar = web.meeting_calendar(ics.body_of(meeting_id))
st.download_button(
    f"Calendar of {ics.body_of(meeting_id)} meetings (.ics)",
    calendar,
    file_name=calendar_name,
    mime=ics.MEDIA_TYPE,
    key="meetings_calendar",
    help="Every meeting of this body, for Outlook, Google or Apple calendars; a moved "
    "meeting keeps its event.",
    on_click=web.record_export,
    args=(web.current_user(), calendar_name, "meetings calendar (ics)"),
)

changes = web.meeting_changes(meeting_id, filters.selection())
by_kind = presenting.changes_by_kind(changes)
st.header(f"What changed ({sum(presenting.total_rows(rows) for _, rows in by_kind):,})")
for kind, rows in by_kind:
    st.subheader(f"{kind} ({presenting.total_rows(rows):,})")
    if rows.empty:
        st.text("None.")
    else:
        key = web.change_table_key(kind)
        web.text_table(rows, key=key, caption=kind, links=True, paged=True)

chosen = {"meeting_id": meeting_id, **filters.selection()}
owed = web.paged_query("updates_owed", "owed", **chosen)
st.header(f"Who owes an update ({presenting.total_rows(owed):,})")
st.caption("Open recommendations this body follows with no update for this meeting, by lead.")
if owed.empty:
    st.text("Every open recommendation has an update for this meeting.")
else:
    web.table(web.owed_by_lead(owed, chosen), key="owed_by_lead")
    web.table(
        presenting.with_detail_links(owed),
        key="owed",
        dates=("last_update_on", "due"),
        links=True,
        paged=True,
    )
