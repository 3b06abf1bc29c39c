"""The dashboard's entry: page set-up, the illustrative-data banner, navigation and the
shared filters. Run with `make run` (streamlit run dashboard.py)."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import web

st.set_page_config(page_title="CJB recommendations tracker", page_icon="📋", layout="wide")

page = st.navigation(web.pages())
with web.user_errors():
    web.illustrative_banner()
    if page.title in web.FILTERED_PAGES:
        web.sidebar_filters()
    web.run_framed(page)
