"""Downloads: a slow file made when asked for, and each export in the audit trail."""

from __future__ import annotations

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


def record_export(user: User, target: str, what: str) -> None:
    """A download's on_click: the export in the audit trail."""
    audit.record_alone(connection(), user.username, "export", target, "success", what)
