"""The chair's Reminders page: the settings, what Send now would send and its preview, the
sending itself in its button's on_click, and leads' addresses set in a form or from a file.
Each write says what became of it once, on the page's next run (web.say)."""

from __future__ import annotations

from email.message import EmailMessage

import pandas as pd
import streamlit as st

from cjb_tracker import lead_addresses, presenting, reminders
from cjb_tracker import reminder_settings as settings_file
from cjb_tracker.auth import User
from cjb_tracker.errors import TrackerError
from cjb_tracker.reminder_settings import ReminderSettings
from cjb_tracker.web.data import clear_caches, connection

_SENT_KEY, _ADDRESS_KEY = "reminder_outcome", "address_outcome"


def reminder_settings() -> tuple[ReminderSettings | None, str | None]:
    """The reminder settings (secrets file and environment), or why they cannot be read."""
    try:
        return settings_file.load(), None
    except TrackerError as wrong:
        return None, str(wrong)


def reminder_plan(settings: ReminderSettings, meeting_id: str, kind: str) -> reminders.Plan:
    """What Send now would send for this meeting and kind today (read fresh: it depends on
    what was sent a moment ago)."""
    return reminders.plan(connection(), settings, meeting_id, kind, presenting.london_today())


def reminder_preview(settings: ReminderSettings, digest: reminders.Digest) -> EmailMessage:
    """The digest as the message that would be sent (its Date and Message-ID aside)."""
    from cjb_tracker import digests

    return digests.message(connection(), settings, digest, presenting.london_today())


def send_reminders(settings: ReminderSettings, meeting_id: str, kind: str, user: User) -> None:
    """Send now's on_click: send this meeting's digests of this kind not sent yet; the page
    then says what went and what did not (reminder_outcome)."""
    try:
        report = reminders.run(
            connection(), settings, user, meeting_id=meeting_id, kind=kind,
            today=presenting.london_today(),
        )  # fmt: skip
    except TrackerError as refused:
        st.session_state[_SENT_KEY] = ("error", [str(refused)])
        return
    clear_caches()
    st.session_state[_SENT_KEY] = reminders.outcome_sentences(report)


def reminder_outcome() -> tuple[str, list[str]] | None:
    """What the last Send now in this session did, once."""
    outcome: tuple[str, list[str]] | None = st.session_state.pop(_SENT_KEY, None)
    return outcome


def lead_address_table() -> pd.DataFrame:
    """Every lead name and how it is reached (read fresh)."""
    return lead_addresses.addresses(connection())


def set_lead_address(user: User, remove: bool) -> None:
    """The address form's on_click: set (or remove) the chosen lead's address."""
    state = st.session_state
    try:
        said = lead_addresses.set_email(
            connection(), user, state.get("address_lead") or "",
            None if remove else state.get("address_email") or "",
        )  # fmt: skip
    except TrackerError as refused:
        state[_ADDRESS_KEY] = ("error", str(refused))
        return
    state[_ADDRESS_KEY] = ("success", said)
    state["address_email"] = ""


def address_outcome() -> tuple[str, str] | None:
    """What the last address form or file in this session did, once."""
    outcome: tuple[str, str] | None = st.session_state.pop(_ADDRESS_KEY, None)
    return outcome


def import_lead_addresses(
    file_name: str, data: bytes, user: User, dry_run: bool
) -> lead_addresses.AddressResult:
    """A file of lead addresses checked (a dry run) or saved."""
    return lead_addresses.import_addresses(connection(), user, file_name, data, dry_run=dry_run)


def save_lead_addresses(file_name: str, data: bytes, user: User) -> None:
    """Save's on_click: the file's addresses written; the page says what happened."""
    try:
        result = import_lead_addresses(file_name, data, user, dry_run=False)
    except TrackerError as refused:
        st.session_state[_ADDRESS_KEY] = ("error", str(refused))
        return
    if result.status == "committed":
        said = f"Saved: {result.changed} of {result.rows} address(es) changed."
        st.session_state[_ADDRESS_KEY] = ("success", said)
    else:
        st.session_state[_ADDRESS_KEY] = ("error", "Nothing was saved: the file has problems.")
