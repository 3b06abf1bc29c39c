"""The frame a page runs in: the pages and the permission each needs, the signed-in user
the page runs for, and the shared filters as the sidebar set them (dashboard.py draws the
sidebar and calls run_framed)."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import Any

import streamlit as st

from cjb_tracker import auth, presenting
from cjb_tracker.auth import User
from cjb_tracker.errors import NotAllowed

FILTER_KEYS = ("report", "body", "addressee", "lead")
_USER: ContextVar[User | None] = ContextVar("signed_in_user", default=None)


def current_user() -> User:
    """The signed-in user the page runs for (set by dashboard.py through run_framed)."""
    user = _USER.get()
    if user is None:
        raise NotAllowed("Sign in to see this page.")
    return user


def require_permission(permission: str) -> User:
    """Called first by a page that only some roles may open: a refusal in words for the
    others, and nothing else of the page."""
    user = current_user()
    try:
        auth.require(user, permission)
    except NotAllowed as refused:
        st.error(str(refused))
        st.stop()
    return user


# (script, title, URL, the permission needed to open it: None for every signed-in user)
PAGES = (
    ("pages/1_overview.py", "Overview", "overview", None),
    ("pages/2_recommendations.py", "Recommendations", "recommendations", None),
    ("pages/3_meetings.py", "Meetings", "meetings", None),
    ("pages/4_overdue.py", "Overdue", "overdue", None),
    ("pages/10_outcomes.py", "Outcomes", "outcomes", None),
    ("pages/11_present.py", "Presenting mode", "present", None),
    ("pages/5_upload.py", "Upload", "upload", "import-updates"),
    ("pages/6_decisions.py", "Closure decisions", "decisions", "decide-closure"),
    ("pages/7_audit.py", "Audit trail", "audit", "read-audit"),
    ("pages/8_reminders.py", "Reminders", "reminders", "send-reminders"),
    ("pages/10_users.py", "Users", "users", "manage-users"),
    ("pages/9_accessibility.py", "Accessibility", "accessibility", None),
)
_FRAMED: ContextVar[bool] = ContextVar("framed_by_dashboard", default=False)


def pages() -> list[Any]:
    """Every page, each at a short URL that can be shared. All are registered whatever the
    role, so a page a role may not open answers with a refusal rather than "not found";
    the sidebar lists only the pages the user may open (sidebar_navigation). The Overview,
    the default page, is at the root URL; it is also at /overview (what the other pages'
    URLs suggest), rather than Streamlit's "Page not found" there."""
    # (A page is known by its url_path, the default one's too, though it is served at "/":
    # the default's is "home" so that "overview" is free for the Overview's second URL.)
    registered = [
        st.Page(script, title=title, url_path="home" if url == "overview" else url,
                default=url == "overview")
        for script, title, url, _ in PAGES
    ]  # fmt: skip
    overview = st.Page(PAGES[0][0], title="Overview", url_path="overview", visibility="hidden")
    return [*registered, overview]


def visible_pages(user: User, registered: list[Any]) -> list[Any]:
    """Of the pages registered this run (pages()), those this user may open."""
    return [
        page
        for page, (_, _, _, needs) in zip(registered[: len(PAGES)], PAGES, strict=True)
        if needs is None or user.may(needs)
    ]


def run_framed(page: Any, user: User) -> None:
    """Run the chosen page inside dashboard.py for the signed-in user (see
    require_dashboard)."""
    framed, signed_in = _FRAMED.set(True), _USER.set(user)
    try:
        page.run()
    finally:
        _FRAMED.reset(framed)
        _USER.reset(signed_in)


def require_dashboard() -> None:
    """Called first by every page. Until st.navigation has been called once in the server
    process, Streamlit treats pages/ as a legacy folder of pages and runs a page URL's script
    on its own, without dashboard.py: the first visit after a restart through a shared link
    would lose the filters and the banner. That visit switches the legacy mode off (by
    calling st.navigation) and reruns, so dashboard.py frames the page."""
    if not _FRAMED.get():
        st.navigation(pages(), position="hidden")
        st.rerun()


def current_filters() -> presenting.Filters:
    """The filters as the sidebar set them this run (defaults when it was not drawn)."""
    chosen = {k: st.session_state.get(k) for k in FILTER_KEYS}
    as_at = st.session_state.get("as_at")
    if not isinstance(as_at, dt.date):
        as_at = presenting.london_today()
    return presenting.Filters(**chosen, as_at=as_at)
