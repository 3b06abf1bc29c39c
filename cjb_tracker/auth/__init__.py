"""Who may do what (roles.py), signed-in sessions (sessions.py) and accounts: reading users,
signing in and managing users (accounts.py). Callers use the names re-exported here:
`auth.require(user, "undo")`, `auth.sign_in(con, name, password)`, `auth.Session`.
"""

from __future__ import annotations

from cjb_tracker.auth.accounts import (
    MAX_FAILURES,
    add_user,
    assign,
    get_user,
    hash_password,
    list_users,
    set_enabled,
    set_password,
    sign_in,
    sign_in_by_email,
    user_for_email,
)
from cjb_tracker.auth.roles import PERMISSIONS, ROLES, User, acting, operator, require
from cjb_tracker.auth.sessions import (
    COOKIE,
    IDLE_TIMEOUT,
    SESSION_KEY,
    SESSION_LIMIT,
    Session,
    cookie_secret,
    session_from_token,
    session_token,
)

__all__ = [
    "COOKIE",
    "IDLE_TIMEOUT",
    "MAX_FAILURES",
    "PERMISSIONS",
    "ROLES",
    "SESSION_KEY",
    "SESSION_LIMIT",
    "Session",
    "User",
    "acting",
    "add_user",
    "assign",
    "cookie_secret",
    "get_user",
    "hash_password",
    "list_users",
    "operator",
    "require",
    "session_from_token",
    "session_token",
    "set_enabled",
    "set_password",
    "sign_in",
    "sign_in_by_email",
    "user_for_email",
]
