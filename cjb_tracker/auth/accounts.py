"""Accounts: reading users, signing in, and managing users (the chair only).

Accounts are local (bcrypt hashes in the database) or single sign-on, where the signed-in
email must belong to an enabled user. User records are append-only: every change writes a
new record, and every change and sign-in is in the audit trail."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import bcrypt
import duckdb

from cjb_tracker import audit, store
from cjb_tracker.auth.roles import ROLES, User, require
from cjb_tracker.errors import NotAllowed, NotFound, TrackerError

# Sign-in throttling: this many failures for one account within the window lock it until
# the window has passed since the last of them.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
_LONDON = ZoneInfo("Europe/London")
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PASSWORD, MAX_PASSWORD_BYTES = 12, 72  # bcrypt reads at most 72 bytes
# bcrypt's cost factor (2**12 rounds: about a quarter of a second a hash here). A hash
# keeps the cost it was made with. Only the tests lower this, in their own process
# (tests/conftest.py); nothing outside the code can change it.
BCRYPT_ROUNDS = 12


@functools.cache
def _no_such_user_hash() -> str:
    """Checked against when the account does not exist, so a wrong name takes as long as a
    wrong password (no way to tell from the time which usernames exist). Made when first
    needed, not at import: every command would pay for it."""
    return bcrypt.hashpw(b"no such user", bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


def get_user(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    """The user with this username (any case), or None."""
    rows = _users(con, username=username.strip().lower())
    return rows[0] if rows else None


def list_users(con: duckdb.DuckDBPyConnection) -> list[User]:
    return _users(con)


def user_for_email(con: duckdb.DuckDBPyConnection, email: str | None) -> User:
    """The enabled user a single sign-on email belongs to; anyone else is refused."""
    found = _users(con, email=email.strip().lower()) if email else []
    if not found:
        raise NotAllowed(
            f"{email or 'This account'} is not a user of this tracker. Ask the chair or "
            "secretariat to add you."
        )
    if not found[0].enabled:
        raise NotAllowed(f"The account for {email} is disabled. Ask the chair or secretariat.")
    return found[0]


def _users(
    con: duckdb.DuckDBPyConnection, *, username: str | None = None, email: str | None = None
) -> list[User]:
    cur = con.cursor()  # the connection is shared between threads; a cursor is not
    try:
        return _read_users(cur, username=username, email=email)
    finally:
        cur.close()


def _read_users(
    cur: duckdb.DuckDBPyConnection, *, username: str | None = None, email: str | None = None
) -> list[User]:
    """The users query on this cursor (inside its transaction, when it has one)."""
    rows = cur.execute(store.load_query("users"), {"username": username, "email": email})
    return [
        User(u, d, r, e, tuple(ln or ()), tuple(ri or ()), bool(en), bool(il))
        for u, d, r, e, ln, ri, en, il in rows.fetchall()
    ]


def _password_hash(con: duckdb.DuckDBPyConnection, username: str) -> str | None:
    cur = con.cursor()
    try:
        rows = cur.execute(store.load_query("password_hash"), {"username": username}).fetchall()
    finally:
        cur.close()
    return rows[0][0] if rows else None


def sign_in(con: duckdb.DuckDBPyConnection, username: str, password: str) -> User:
    """The user, when the password is theirs and the account is enabled and not locked.
    Every attempt is audited; the refusal never says which part was wrong."""
    name = username.strip().lower()
    locked_until = _locked_until(con, name)
    if locked_until is not None:
        audit.record_alone(con, name or "-", "sign-in", name, "refused", "too many failures")
        at = locked_until.astimezone(_LONDON).strftime("%H:%M")
        raise NotAllowed(
            f"Too many failed sign-ins for this account. Try again after {at}, or ask the "
            "chair or secretariat to set a new password."
        )
    user = get_user(con, name) if name else None
    stored = _password_hash(con, name) if user else None
    matches = _check_password(password, stored or _no_such_user_hash()) and stored is not None
    if user is None or not matches or not user.enabled:
        reason = "no such user" if user is None else "wrong password" if not matches else "disabled"
        audit.record_alone(con, name or "-", "sign-in", name, "failure", reason)
        raise NotAllowed("The username or password is not right, or the account is disabled.")
    audit.record_alone(con, name, "sign-in", name, "success")
    return user


def sign_in_by_email(con: duckdb.DuckDBPyConnection, email: str | None) -> User:
    """Single sign-on: the identity provider vouched for the email; we decide the role."""
    try:
        user = user_for_email(con, email)
    except NotAllowed:
        audit.record_alone(con, email or "-", "sign-in", email, "failure", "single sign-on")
        raise
    audit.record_alone(con, user.username, "sign-in", user.username, "success", "single sign-on")
    return user


def _locked_until(con: duckdb.DuckDBPyConnection, username: str) -> datetime | None:
    cur = con.cursor()
    try:
        rows = cur.execute(
            store.load_query("sign_in_failures"), {"username": username, "window": FAILURE_WINDOW}
        ).fetchall()
    finally:
        cur.close()
    failures, last = rows[0]
    if failures < MAX_FAILURES or last is None:
        return None
    until: datetime = last.astimezone(UTC) + FAILURE_WINDOW
    return until


def _check_password(password: str, stored: str) -> bool:
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_PASSWORD_BYTES:
        return False
    return bcrypt.checkpw(encoded, stored.encode("ascii"))


def hash_password(password: str) -> str:
    """A salted bcrypt hash of a password that meets the rules (or a sentence why not)."""
    encoded = password.encode("utf-8")
    if len(password) < MIN_PASSWORD:
        raise TrackerError(f"The password is too short: use at least {MIN_PASSWORD} characters.")
    if len(encoded) > MAX_PASSWORD_BYTES:
        raise TrackerError(
            f"The password is too long: use at most {MAX_PASSWORD_BYTES} bytes "
            "(about 70 plain characters)."
        )
    return bcrypt.hashpw(encoded, bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def add_user(
    con: duckdb.DuckDBPyConnection,
    actor: User,
    username: str,
    display_name: str,
    role: str,
    *,
    password: str | None = None,
    email: str | None = None,
    lead_names: tuple[str, ...] = (),
    rec_ids: tuple[str, ...] = (),
    illustrative: bool = False,
) -> User:
    """A new account; a local one has a password, a single sign-on one an email."""
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise TrackerError(
            f"'{username}' cannot be a username: use 2 to 64 lower-case letters, digits, "
            "dots, hyphens, underscores or @, starting with a letter or digit."
        )
    if role not in ROLES:
        raise TrackerError(f"'{role}' is not a role: use one of {', '.join(ROLES)}.")
    if not display_name.strip():
        raise TrackerError("Give the user's name as it should be shown (--name).")
    mail = _email(email)
    if password is None and mail is None:
        raise TrackerError("Give a password (a local account) or an email (single sign-on).")
    hashed = hash_password(password) if password is not None else None
    new = User(name, display_name.strip(), role, mail, lead_names, rec_ids, True, illustrative)
    with store.transaction(con) as cur:
        require(actor, "manage-users")
        if _read_users(cur, username=name):
            raise TrackerError(f"There is already a user '{name}'.")
        if mail and _read_users(cur, email=mail):
            raise TrackerError(f"Another user already has the email {mail}.")
        _write(cur, actor, new, hashed)
        audit.record(cur, actor.username, "user", name, "success", f"added as {role}")
    return new


def set_password(con: duckdb.DuckDBPyConnection, actor: User, username: str, password: str) -> None:
    hashed = hash_password(password)
    _change(con, actor, username, "password changed", hashed=hashed)


def set_enabled(con: duckdb.DuckDBPyConnection, actor: User, username: str, enabled: bool) -> None:
    _change(con, actor, username, "enabled" if enabled else "disabled", enabled=enabled)


def assign(
    con: duckdb.DuckDBPyConnection,
    actor: User,
    username: str,
    *,
    lead_names: tuple[str, ...] | None = None,
    rec_ids: tuple[str, ...] | None = None,
) -> None:
    """Set which lead names and recommendations a lead answers for (None leaves it)."""
    recs = None if rec_ids is None else tuple(r.strip().upper() for r in rec_ids if r.strip())
    if recs:
        unknown = _unknown_recommendations(con, recs)
        if unknown:
            raise NotFound(f"There is no recommendation {', '.join(unknown)}.")
    names = None if lead_names is None else tuple(n.strip() for n in lead_names if n.strip())
    detail = "assigned " + "; ".join(
        part
        for part in (
            f"lead names: {', '.join(names) or 'none'}" if names is not None else "",
            f"recommendations: {', '.join(recs) or 'none'}" if recs is not None else "",
        )
        if part
    )
    _change(con, actor, username, detail, lead_names=names, rec_ids=recs)


def _change(
    con: duckdb.DuckDBPyConnection,
    actor: User,
    username: str,
    detail: str,
    *,
    hashed: str | None = None,
    enabled: bool | None = None,
    lead_names: tuple[str, ...] | None = None,
    rec_ids: tuple[str, ...] | None = None,
) -> None:
    name = username.strip().lower()
    with store.transaction(con) as cur:
        require(actor, "manage-users")
        current = get_user(cur, name)
        if current is None:
            raise NotFound(f"There is no user '{name}'.")
        changed = User(
            current.username,
            current.display_name,
            current.role,
            current.email,
            current.lead_names if lead_names is None else lead_names,
            current.rec_ids if rec_ids is None else rec_ids,
            current.enabled if enabled is None else enabled,
            current.illustrative,
        )
        _write(cur, actor, changed, hashed or _password_hash(cur, name))
        audit.record(cur, actor.username, "user", name, "success", detail)


def _write(cur: duckdb.DuckDBPyConnection, actor: User, user: User, hashed: str | None) -> None:
    store.run_script(
        cur,
        "insert_user_record",
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        role=user.role,
        password_hash=hashed,
        enabled=user.enabled,
        lead_names=list(user.lead_names),
        rec_ids=list(user.rec_ids),
        illustrative=user.illustrative,
        recorded_by=actor.username,
    )


def _email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    mail = email.strip().lower()
    if not _EMAIL.fullmatch(mail):
        raise TrackerError(f"'{email}' is not an email address.")
    return mail


def _unknown_recommendations(con: duckdb.DuckDBPyConnection, rec_ids: tuple[str, ...]) -> list[str]:
    cur = con.cursor()
    try:
        unknown = cur.execute(
            store.load_query("unknown_recommendations"), {"rec_ids": list(rec_ids)}
        ).fetchall()
    finally:
        cur.close()
    return [r for (r,) in unknown]
