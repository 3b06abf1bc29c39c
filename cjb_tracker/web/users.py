"""The chair's Users page: who may sign in, and every change to them, made through
cjb_tracker.auth (audited; a new password, a disable or a role change ends the user's
sessions) while the dashboard holds the database."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

from cjb_tracker import auth, store
from cjb_tracker.auth import User
from cjb_tracker.errors import TrackerError
from cjb_tracker.web.data import clear_caches, connection


@dataclass(frozen=True)
class UsersForm:
    """The keys of the Users page's widgets: the new user's, then the chosen user's."""

    username: str = "new_username"
    name: str = "new_name"
    role: str = "new_role"
    email: str = "new_email"
    password: str = "new_password"
    chosen: str = "users_chosen"
    new_role: str = "users_role"
    leads: str = "users_leads"
    recs: str = "users_recs"
    one_time: str = "users_one_time"


_USERS_KEY = "users_outcome"


def user_list() -> pd.DataFrame:
    """Every user, read fresh (user_list.sql): sessions come and go between runs."""
    return store.run_query(connection(), "user_list")


def manage_user(action: str, actor: User, form: UsersForm) -> None:
    """A Users page button's on_click: add a user, or change the chosen one (role, disable
    or enable, what a lead answers for, a one-time password, end their sessions), through
    cjb_tracker.auth, which audits it and ends the user's sessions where the change needs
    it. What was done, or why not, is said once by users_outcome."""
    state, con = st.session_state, connection()
    chosen = state.get(form.chosen) or ""
    try:
        done = _user_change(con, action, actor, form, chosen)
    except TrackerError as refused:
        state[_USERS_KEY] = ("error", str(refused))
        return
    state[_USERS_KEY] = ("success", done)
    state[form.password] = state[form.one_time] = ""
    clear_caches()  # the audit trail has new events


def _user_change(
    con: duckdb.DuckDBPyConnection, action: str, actor: User, form: UsersForm, chosen: str
) -> str:
    state = st.session_state
    if action == "add":
        added = auth.add_user(
            con, actor, state[form.username], state[form.name], state[form.role],
            password=state[form.password] or None, email=state[form.email] or None,
            one_time=True,
        )  # fmt: skip
        return f"Added {added.username} as {added.role}."
    if not chosen:
        raise TrackerError("Choose a user first.")
    if action == "role":
        auth.set_role(con, actor, chosen, state[form.new_role])
        return f"{chosen} is now a {state[form.new_role]}; their sessions have ended."
    if action in ("disable", "enable"):
        auth.set_enabled(con, actor, chosen, action == "enable")
        return f"{chosen} is {action}d."
    if action == "assign":
        leads, recs = (tuple(_items(state[key])) for key in (form.leads, form.recs))
        auth.assign(con, actor, chosen, lead_names=leads, rec_ids=recs)
        now = auth.get_user(con, chosen)
        held = (now.lead_names + now.rec_ids) if now else ()
        return f"{chosen} now answers for: {'; '.join(held) or 'nothing'}."
    if action == "password":
        auth.set_password(con, actor, chosen, state[form.one_time], one_time=True)
        return f"{chosen} has a one-time password; they choose their own at the next sign-in."
    ended = auth.end_sessions(con, actor, chosen)
    return f"Ended {ended} session(s) of {chosen}."


def user_chosen(form: UsersForm) -> None:
    """The user selectbox's on_change: the forms show the chosen user's role and what they
    answer for, to be changed from there."""
    state = st.session_state
    chosen = auth.get_user(connection(), state.get(form.chosen) or "")
    if chosen is not None:
        state[form.new_role] = chosen.role
        state[form.leads] = ", ".join(chosen.lead_names)
        state[form.recs] = ", ".join(chosen.rec_ids)


def _items(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").replace(";", ",").split(",") if item.strip()]


def users_outcome() -> tuple[str, str] | None:
    """What the last Users page action in this session led to, once."""
    outcome: tuple[str, str] | None = st.session_state.pop(_USERS_KEY, None)
    return outcome
