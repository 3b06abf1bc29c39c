"""The dashboard's entry: page set-up, sign-in, the navigation the user's role allows, the
illustrative-data banner and the shared filters. Run with `make run` (streamlit run
dashboard.py)."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import web

st.set_page_config(page_title="CJB recommendations tracker", page_icon="📋", layout="wide")

# Every page is registered (so a page the role may not open answers with a refusal); the
# sidebar lists only the pages the signed-in user may open.
registered = web.pages()
page = st.navigation(registered, position="hidden")
with web.user_errors():
    user = web.signed_in_user()
    web.write_session_cookie()
    if user is None:
        st.set_page_config(page_title="Sign in · CJB recommendations tracker")
        web.sign_in_page()
    else:
        # Each page's own title in the browser tab (WCAG 2.4.2).
        st.set_page_config(page_title=f"{page.title} · CJB recommendations tracker")
        web.sidebar_navigation(user, registered)
        web.illustrative_banner()
        if page.title in web.FILTERED_PAGES:
            web.sidebar_filters()
        web.run_framed(page, user)
