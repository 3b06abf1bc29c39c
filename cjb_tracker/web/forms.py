"""The writes a page asks for, each in its button's on_click: commit an upload, undo a
batch, record the Board's decision. Each reads what it writes from the widgets its form
names, clears the caches once the data has changed (so the page's next run shows the new
state), and leaves what became of it to be said once on that run."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from cjb_tracker import decisions, ingest, measures, presenting
from cjb_tracker.auth import User
from cjb_tracker.errors import TrackerError
from cjb_tracker.web.data import clear_caches, connection, fresh_query

# What a form's write led to, said once on the page's next run: ("success" | "warning" |
# "error", the sentence). web.say shows it as its level.
Outcome = tuple[str, str]
_COMMIT_KEY, _UNDO_KEY, _COMMITTED_KEY = "commit_outcome", "undo_outcome", "committed_sha"
_COMMIT_LEVELS = {"committed": "success", "duplicate": "warning", "rejected": "error"}


@dataclass(frozen=True)
class UploadForm:
    """The keys of the Upload page's widgets: the kind of file, the file, and the upload
    chosen to undo (a batch id)."""

    kind: str = "kind"
    file: str = "upload_file"
    undo: str = "undo_batch"
    only_held: str = "only_held"


def is_committed(data: bytes) -> bool:
    """Whether this session has committed this very file (or found it already imported):
    it is not checked again against the data it has just changed, and not committed twice."""
    return st.session_state.get(_COMMITTED_KEY) == hashlib.sha256(data).hexdigest()


def commit_upload(user: User, form: UploadForm) -> None:
    """The Commit button's on_click: import the chosen file for real, as the kind chosen, so
    the page then runs with the new data (a second click on a committed file does nothing).
    What became of it is said once by commit_outcome: committed, already imported, or why
    nothing was written (a file rejected now is checked again, its problems listed)."""
    state = st.session_state
    upload = state.get(form.file)
    if upload is None:
        return
    data = upload.getvalue()
    if is_committed(data):
        return
    try:
        result = ingest.import_file(
            connection(),
            state[form.kind],
            upload.name,
            data,
            imported_by=user,
            only_held=bool(state.get(form.only_held)),
        )
    except TrackerError as refused:
        state[_COMMIT_KEY] = ("error", str(refused))
        return
    clear_caches()
    if result.status != "rejected":
        state[_COMMITTED_KEY] = hashlib.sha256(data).hexdigest()
    message = presenting.commit_message(
        result.status, result.batch_id, result.rows, result.inserted
    )
    state[_COMMIT_KEY] = (_COMMIT_LEVELS.get(result.status, "error"), message)


def commit_outcome() -> Outcome | None:
    """What the last Commit in this session led to, once."""
    outcome: Outcome | None = st.session_state.pop(_COMMIT_KEY, None)
    return outcome


def undo_upload(user: User, form: UploadForm) -> None:
    """The Undo button's on_click: undo the chosen upload (recorded; nothing is deleted), so
    the page then runs without it, and clear the choice. What became of it is said once by
    undo_outcome."""
    state = st.session_state
    batch_id = state.get(form.undo)
    if batch_id is None:
        return
    try:
        ingest.undo_batch(connection(), batch_id, user)
    except TrackerError as refused:
        state[_UNDO_KEY] = ("error", str(refused))
        return
    clear_caches()
    state[form.undo] = None
    state[_UNDO_KEY] = ("success", presenting.undo_message(batch_id))


def undo_outcome() -> Outcome | None:
    """What the last Undo in this session led to, once."""
    outcome: Outcome | None = st.session_state.pop(_UNDO_KEY, None)
    return outcome


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


@dataclass(frozen=True)
class ReopenForm:
    """The keys of the reopening form's widgets: the meeting and the reason."""

    meeting: str = "reopen_meeting"
    reason: str = "reopen_reason"


def record_reopening(rec_id: str, user: User, form: ReopenForm) -> None:
    """The reopening form's on_click: the Board's decision to reopen a closed recommendation
    recorded (decisions.reopen: chair only, with the reason), or why not; said once by
    decision_outcome."""
    state = st.session_state
    try:
        batch_id = decisions.reopen(connection(), user, rec_id, state[form.meeting],
                                    state[form.reason])  # fmt: skip
    except TrackerError as refused:
        state[_DECISION_KEY] = ("error", str(refused))
        return
    clear_caches()
    state[_DECISION_KEY] = ("success", f"{rec_id} is In progress again (batch {batch_id}).")
    state[form.reason] = ""


def decision_outcome() -> Outcome | None:
    """What the last decision form in this session led to, once: ("success", what was
    recorded) or ("error", why nothing was)."""
    outcome: Outcome | None = st.session_state.pop(_DECISION_KEY, None)
    return outcome


_LINK_KEY = "link_outcome"


@dataclass(frozen=True)
class LinkForm:
    """The keys of the chair's link controls on a recommendation's page: the series to link
    (presenting.series_key), which way it should move, why, and the series to unlink."""

    series: str = "link_series"
    expected: str = "link_expected"
    note: str = "link_note"
    unlink: str = "unlink_series"


def link_measure(rec_id: str, user: User, form: LinkForm) -> None:
    """The Link button's on_click: link the recommendation to the chosen series (a batch),
    so the page then runs with it; said once by link_outcome."""
    state = st.session_state
    key = state.get(form.series)
    if key is None:
        return
    measure_id, breakdown = presenting.split_series_key(key)
    wanted = measures.Link(
        rec_id, measure_id, breakdown, state.get(form.expected), state.get(form.note)
    )
    _write_link(lambda: measures.link(connection(), user, wanted), rec_id, key, True)
    state[form.series] = state[form.expected] = None
    state[form.note] = ""


def unlink_measure(rec_id: str, user: User, form: LinkForm) -> None:
    """The Remove button's on_click: take the chosen link away (a batch)."""
    state = st.session_state
    key = state.get(form.unlink)
    if key is None:
        return
    measure_id, breakdown = presenting.split_series_key(key)
    wanted = measures.Link(rec_id, measure_id, breakdown)
    _write_link(lambda: measures.unlink(connection(), user, wanted), rec_id, key, False)
    state[form.unlink] = None


def _write_link(write: Callable[[], int], rec_id: str, key: str, linked: bool) -> None:
    try:
        batch_id = write()
    except TrackerError as refused:
        st.session_state[_LINK_KEY] = ("error", str(refused))
        return
    clear_caches()
    label = presenting.series_choices(fresh_query("measure_choices")).get(key, key)
    st.session_state[_LINK_KEY] = (
        "success",
        presenting.link_message(rec_id, label, batch_id, linked),
    )


def link_outcome() -> Outcome | None:
    """What the last link or unlink in this session led to, once."""
    outcome: Outcome | None = st.session_state.pop(_LINK_KEY, None)
    return outcome
