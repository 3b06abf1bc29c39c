"""Who may do what (roles.py), the session cookie's name and key (sessions.py; the sessions
themselves are cjb_tracker.session_store's) and accounts: reading users, signing in and
managing users (accounts.py). Callers use the names re-exported here:
`auth.require(user, "undo")`, `auth.sign_in(con, name, password, client)`.
"""

from __future__ import annotations

from cjb_tracker.auth.accounts import (
    add_user,
    assign,
    change_own_password,
    end_sessions,
    get_user,
    hash_password,
    list_users,
    must_change_password,
    set_enabled,
    set_password,
    set_role,
    sign_in,
    sign_in_by_email,
    user_for_email,
)
from cjb_tracker.auth.roles import PERMISSIONS, ROLES, User, acting, operator, require
from cjb_tracker.auth.sessions import COOKIE, SESSION_KEY, cookie_secret

__all__ = [
    "COOKIE",
    "PERMISSIONS",
    "ROLES",
    "SESSION_KEY",
    "User",
    "acting",
    "add_user",
    "assign",
    "change_own_password",
    "cookie_secret",
    "end_sessions",
    "get_user",
    "hash_password",
    "list_users",
    "must_change_password",
    "operator",
    "require",
    "set_enabled",
    "set_password",
    "set_role",
    "sign_in",
    "sign_in_by_email",
    "user_for_email",
]
