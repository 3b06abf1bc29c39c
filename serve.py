"""The server: Streamlit's own (st.App, Starlette) running dashboard.py, plus the routes that
set and clear the session cookie from the server, so it is HttpOnly, serve the board pack
to a live session, and the guard that serves /media/ files only to a live session
(cjb_tracker/session_routes.py); and, while it runs, the daily reminder timer when
`[reminders] send_at` is set (cjb_tracker/reminder_timer.py). Run with
`streamlit run serve.py` (make run does).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import streamlit as st
from starlette.middleware import Middleware

from cjb_tracker import reminder_timer, session_routes, web


def _log_to_the_server_log() -> None:
    """The library's own messages (the reminder timer's runs, a replica's refused writes)
    in the server's output, beside Streamlit's, from INFO up."""
    logger = logging.getLogger("cjb_tracker")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    _log_to_the_server_log()
    timer = reminder_timer.DailyRun(web.current_connection, written=web.clear_caches)
    with reminder_timer.running(timer):
        yield


app = st.App(
    "dashboard.py",
    routes=session_routes.routes(web.current_connection, web.board_pack),
    middleware=[Middleware(session_routes.MediaGuard, connect=web.current_connection)],
    lifespan=lifespan,
)
