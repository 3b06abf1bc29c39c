"""The writes a page asks for, each on its button's click: commit an upload, undo a batch,
record the Board's decision. Each clears the caches once the data has changed."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cjb_tracker import decisions, ingest, presenting
from cjb_tracker.auth import User
from cjb_tracker.errors import TrackerError
from cjb_tracker.ingest import ImportResult
from cjb_tracker.web.data import clear_caches, connection


def commit_upload(kind: str, file_name: str, data: bytes, user: User) -> ImportResult:
    """Import the file for real, then clear the caches so every page shows the new state."""
    result = ingest.import_file(connection(), kind, file_name, data, imported_by=user)
    clear_caches()
    return result


def undo_batch(batch_id: int, user: User) -> None:
    ingest.undo_batch(connection(), batch_id, user)
    clear_caches()


_DECISION_KEY = "decision_outcome"


@dataclass(frozen=True)
class DecisionForm:
    """The keys of the decision form's widgets: the meeting, accepted or not (a bool), the
    minute and the reason."""

    meeting: str = "decide_meeting"
    accepted: str = "decide_accepted"
    minute: str = "decide_minute"
    reason: str = "decide_reason"


def record_decision(rec_id: str, user: User, form: DecisionForm) -> None:
    """The decision form's on_click: record the Board's decision on the proposed closure
    as the form holds it, so the page then runs with the closure gone from its list. Once
    recorded, the minute and reason are emptied for the next proposal; refused, they stay
    to be put right. What was recorded, or why not, is said once by decision_outcome."""
    state = st.session_state
    decision = decisions.Decision(
        rec_id,
        state[form.meeting],
        bool(state[form.accepted]),
        minute=state[form.minute],
        reason=state[form.reason],
    )
    try:
        batch_id = decisions.decide(connection(), user, decision)
    except TrackerError as refused:
        state[_DECISION_KEY] = ("error", str(refused))
        return
    clear_caches()
    state[_DECISION_KEY] = (
        "success",
        presenting.decision_message(rec_id, batch_id, decision.accepted),
    )
    state[form.minute] = state[form.reason] = ""


def decision_outcome() -> tuple[str, str] | None:
    """What the last decision form in this session led to, once: ("success", what was
    recorded) or ("error", why nothing was)."""
    outcome: tuple[str, str] | None = st.session_state.pop(_DECISION_KEY, None)
    return outcome
