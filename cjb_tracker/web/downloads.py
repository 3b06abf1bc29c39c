"""Downloads: a slow file made when asked for, a file made on the download's click, the board
pack's link (the server makes it for a live session: session_routes), and each export in
the audit trail."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import streamlit as st

from cjb_tracker import audit, packs, session_routes
from cjb_tracker.auth import User
from cjb_tracker.web.data import connection


def asked_for(asked: str, label: str, key: str, place: Any) -> bool:
    """Whether this session asked for the file `asked` names; if not, a button (in place)
    that asks. A file made on a download's own click is deleted by Streamlit once two other
    script runs end, so a slow file is made on a click of this, then downloaded."""
    if st.session_state.get(asked):
        return True
    place.button(label, key=key, on_click=st.session_state.__setitem__, args=(asked, True))
    return False


def audit_events_csv(**filters: Any) -> Callable[[], bytes]:
    """What makes the CSV of every audit event the filters (audit.events') select, for a
    download button to call on its click: the page reads only the page of events it shows."""
    con = connection()
    return lambda: audit.events_csv(con, **filters)


def pack_link(place: Any, meeting_id: str, fmt: str) -> None:
    """A link (drawn as a button) that downloads the board pack from serve.py's
    /api/pack: the server makes it for the request of a live session and audits it as it
    sends it, so no copy waits under a URL for anyone else."""
    url = html.escape(session_routes.pack_url(meeting_id, fmt))
    name = html.escape(packs.file_name(meeting_id, fmt))
    place.html(
        f'<a class="pack-link" href="{url}" download="{name}">Board pack ({fmt.upper()})</a>'
        "<style>.pack-link{display:inline-block;padding:0.4rem 0.75rem;border:1px solid "
        "rgba(11,12,12,0.3);border-radius:0.5rem;color:#0B0C0C;text-decoration:none}"
        ".pack-link:hover{border-color:#d0021b;color:#d0021b}"
        ".pack-link:focus{outline:3px solid #FFDD00;outline-offset:0}</style>"
    )


def record_export(user: User, target: str, what: str) -> None:
    """A download's on_click: the export in the audit trail."""
    audit.record_alone(connection(), user.username, "export", target, "success", what)
