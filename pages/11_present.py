"""Presenting mode: a meeting's agenda on the room's screen, one recommendation at a time
(closures for decision, then changes, newly overdue, overdue, the others), moved through
with Previous and Next, the → and ← keys, or the jump list. Every role may present;
presenting changes nothing."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import presenting, web

web.require_dashboard()
# The room's screen gets the whole width: the sidebar (the meeting picker, the navigation)
# opens with its » button.
st.set_page_config(initial_sidebar_state="collapsed")
user = web.current_user()
web.room_style()

meetings = web.query("meeting_list")
labels = presenting.meeting_labels(meetings)
short = presenting.meeting_choices(meetings)
default = presenting.presenting_meeting(meetings, presenting.london_today())
with st.sidebar:
    meeting_id = web.url_choice("Meeting to present", list(short), "meeting", short, default)
if meeting_id is None:
    st.title("Presenting mode")
    st.info("No meetings yet. Upload a meetings file on the Upload page.")
    st.stop()

agenda = web.query("meeting_agenda", meeting_id=meeting_id)
if agenda.empty:
    st.title("Presenting mode")
    st.info(f"Nothing to present at {labels[meeting_id]}: no open or changed recommendation.")
    st.stop()

with st.container(key="presenting"):
    position = web.presented_position(meeting_id, agenda)
    web.present_controls(meeting_id, agenda, position)
    web.present_screen(meeting_id, labels[meeting_id], agenda.iloc[position], user)
