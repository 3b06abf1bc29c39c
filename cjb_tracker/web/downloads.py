"""Downloads: a slow file made when asked for, a file made on the download's click, and each
export in the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from cjb_tracker import audit
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


def record_export(user: User, target: str, what: str) -> None:
    """A download's on_click: the export in the audit trail."""
    audit.record_alone(connection(), user.username, "export", target, "success", what)
