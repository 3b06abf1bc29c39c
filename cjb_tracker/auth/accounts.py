"""Accounts: reading users, signing in, and managing users (the chair only).

Accounts are local (bcrypt hashes in the database) or single sign-on, where the signed-in
email must belong to an enabled user. User records are append-only: every change writes a
new record, and every change and sign-in is in the audit trail."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import bcrypt
import duckdb

from cjb_tracker import audit, session_store, store
from cjb_tracker.auth.roles import ROLES, User, require
from cjb_tracker.errors import NotAllowed, NotFound, TrackerError

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


def sign_in(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    client: str = session_store.LOCAL_CLIENT,
) -> User:
    """The user, when the password is theirs and the account is enabled. Every attempt is
    audited with its client, and counted by account and client together: a client that
    keeps failing for an account waits longer before each further try, while other clients
    (the account's own user among them) are not held up. The refusal never says which
    part was wrong."""
    name = username.strip().lower()
    until = session_store.wait_until(con, name, client)
    if until is not None:
        audit.record_alone(
            con, name or "-", "sign-in", name, "refused", f"waiting; client {client}"
        )
        at = until.astimezone(_LONDON).strftime("%H:%M:%S")
        raise NotAllowed(
            "Too many failed sign-ins for this account from this device. Try again after "
            f"{at}, or ask the chair or secretariat to set a new password."
        )
    user = get_user(con, name) if name else None
    stored = _password_hash(con, name) if user else None
    matches = _check_password(password, stored or _no_such_user_hash()) and stored is not None
    succeeded = user is not None and matches and user.enabled
    with store.transaction(con) as cur:
        session_store.record_attempt(cur, name, client, succeeded)
        if user is None or not succeeded:
            reason = (
                "no such user" if user is None else "wrong password" if not matches else "disabled"
            )
            audit.record(cur, name or "-", "sign-in", name, "failure", f"{reason}; client {client}")
        else:
            audit.record(cur, name, "sign-in", name, "success", f"client {client}")
    if user is None or not succeeded:
        raise NotAllowed("The username or password is not right, or the account is disabled.")
    return user


def sign_in_by_email(
    con: duckdb.DuckDBPyConnection,
    email: str | None,
    client: str = session_store.LOCAL_CLIENT,
    signed_in_at: int | None = None,
) -> User:
    """Single sign-on: the identity provider vouched for the email (at `signed_in_at`, the
    ID token's issue time, epoch seconds); we decide the role. A provider's sign-in older
    than the end of this user's last session (a copied cookie of Streamlit's, replayed) is
    refused: the user signs in at the provider again."""
    try:
        user = user_for_email(con, email)
        if signed_in_at is None or session_store.ended_since(
            con, user.username, datetime.fromtimestamp(signed_in_at, UTC)
        ):
            raise NotAllowed(
                "Your organisation sign-in is from before your last session ended. Sign in "
                "with your organisation account again."
            )
    except NotAllowed as refused:
        detail = f"single sign-on; client {client}; {refused}"
        audit.record_alone(con, email or "-", "sign-in", email, "failure", detail)
        raise
    detail = f"single sign-on; client {client}"
    audit.record_alone(con, user.username, "sign-in", user.username, "success", detail)
    return user


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
    one_time: bool = False,
) -> User:
    """A new account; a local one has a password (`one_time`: to be changed at the first
    sign-in), a single sign-on one an email."""
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
        record_id = _write(cur, actor, new, hashed)
        if one_time and hashed is not None:
            cur.execute("insert into one_time_passwords (record_id) values (?)", [record_id])
        detail = f"added as {role}" + (" with a one-time password" if one_time and hashed else "")
        audit.record(cur, actor.username, "user", name, "success", detail)
    return new


def set_password(
    con: duckdb.DuckDBPyConnection,
    actor: User,
    username: str,
    password: str,
    *,
    one_time: bool = False,
) -> None:
    """The chair sets a user's password (a one-time one must be changed at the next
    sign-in); every session of that user ends."""
    hashed = hash_password(password)
    detail = "one-time password set" if one_time else "password changed"
    _change(con, actor, username, detail, hashed=hashed, one_time=one_time, ends_sessions=True)


def change_own_password(con: duckdb.DuckDBPyConnection, user: User, current: str, new: str) -> None:
    """A user chooses their own password, giving the one they signed in with; every session
    of theirs ends (the caller starts a new one for the browser that changed it)."""
    if new == current:
        raise TrackerError("Choose a password different from the one you signed in with.")
    stored = _password_hash(con, user.username)
    if stored is None or not _check_password(current, stored):
        audit.record_alone(con, user.username, "user", user.username, "refused",
                           "own password: the current password was wrong")  # fmt: skip
        raise NotAllowed("The current password is not right.")
    hashed = hash_password(new)
    _change(con, user, user.username, "changed their own password", hashed=hashed,
            ends_sessions=True, own=True)  # fmt: skip


def must_change_password(con: duckdb.DuckDBPyConnection, username: str) -> bool:
    """Whether the user's password is a one-time one the chair set."""
    cur = con.cursor()  # the connection is shared between threads; a cursor is not
    try:
        return bool(
            store.scalar(
                cur,
                "select count(*) from users as u join one_time_passwords as o using (record_id)"
                " where u.username = ?",
                [username],
            )
        )
    finally:
        cur.close()


def set_enabled(con: duckdb.DuckDBPyConnection, actor: User, username: str, enabled: bool) -> None:
    """Disable (every session ends) or enable an account."""
    _change(con, actor, username, "enabled" if enabled else "disabled", enabled=enabled,
            ends_sessions=not enabled)  # fmt: skip


def set_role(con: duckdb.DuckDBPyConnection, actor: User, username: str, role: str) -> None:
    """Give a user another role; every session of theirs ends (it ran with the old one)."""
    if role not in ROLES:
        raise TrackerError(f"'{role}' is not a role: use one of {', '.join(ROLES)}.")
    _change(con, actor, username, f"role set to {role}", role=role, ends_sessions=True)


def end_sessions(con: duckdb.DuckDBPyConnection, actor: User, username: str) -> int:
    """The chair ends every session of a user at once; returns how many were live."""
    name = username.strip().lower()
    with store.transaction(con) as cur:
        require(actor, "manage-users")
        if get_user(cur, name) is None:
            raise NotFound(f"There is no user '{name}'.")
        ended = session_store.end_all(cur, name, f"ended by {actor.username}")
        audit.record(cur, actor.username, "user", name, "success", f"{ended} session(s) ended")
    return ended


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
    role: str | None = None,
    one_time: bool = False,
    ends_sessions: bool = False,
    own: bool = False,
) -> None:
    """A new record of the user with what changed; audited, and (ends_sessions) every
    session of the user ended, in the same transaction. `own`: the user changes their own
    password, which needs no permission."""
    name = username.strip().lower()
    with store.transaction(con) as cur:
        if not own:
            require(actor, "manage-users")
        current = get_user(cur, name)
        if current is None:
            raise NotFound(f"There is no user '{name}'.")
        changed = User(
            current.username,
            current.display_name,
            current.role if role is None else role,
            current.email,
            current.lead_names if lead_names is None else lead_names,
            current.rec_ids if rec_ids is None else rec_ids,
            current.enabled if enabled is None else enabled,
            current.illustrative,
        )
        record_id = _write(cur, actor, changed, hashed or _password_hash(cur, name))
        if one_time:
            cur.execute("insert into one_time_passwords (record_id) values (?)", [record_id])
        if ends_sessions:
            ended = session_store.end_all(cur, name, detail)
            detail += f"; {ended} session(s) ended"
        audit.record(cur, actor.username, "user", name, "success", detail)


def _write(cur: duckdb.DuckDBPyConnection, actor: User, user: User, hashed: str | None) -> int:
    """A new record of the user; returns its id."""
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
    found = cur.execute(
        "select max(record_id) from user_records where username = ?", [user.username]
    ).fetchall()
    return int(found[0][0])


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
