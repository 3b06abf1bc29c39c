"""The dashboard's entry: page set-up, the illustrative-data banner, navigation and the
shared filters. Run with `make run` (streamlit run dashboard.py)."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import web

st.set_page_config(page_title="CJB recommendations tracker", page_icon="📋", layout="wide")

PAGES = [
    st.Page("pages/1_overview.py", title="Overview", url_path="overview", default=True),
    st.Page("pages/2_recommendations.py", title="Recommendations", url_path="recommendations"),
    st.Page("pages/3_meetings.py", title="Meetings", url_path="meetings"),
    st.Page("pages/4_overdue.py", title="Overdue", url_path="overdue"),
    st.Page("pages/5_upload.py", title="Upload", url_path="upload"),
]
# Pages that read the shared filters; the upload page does not.
FILTERED = {"Overview", "Recommendations", "Meetings", "Overdue"}

page = st.navigation(PAGES)
with web.user_errors():
    web.illustrative_banner()
    if page.title in FILTERED:
        web.sidebar_filters()
    page.run()
