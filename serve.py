"""The server: Streamlit's own (st.App, Starlette) running dashboard.py, plus the routes that
set and clear the session cookie from the server, so it is HttpOnly, serve the board pack
to a live session, and the guard that serves /media/ files only to a live session
(cjb_tracker/session_routes.py). Run with
`streamlit run serve.py` (make run does).
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from cjb_tracker import session_routes, web

app = st.App(
    "dashboard.py",
    routes=session_routes.routes(web.current_connection, web.board_pack),
    middleware=[Middleware(session_routes.MediaGuard, connect=web.current_connection)],
)
