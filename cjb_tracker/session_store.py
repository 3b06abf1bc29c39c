"""Signed-in sessions the server can end, and the sign-in throttle (issue 21).

A session is a row of `sessions`: whose, how it signed in, from which client, when it started
and was last used, and whether it has ended. The browser's cookie carries only the session's
id, signed with the session key (server_secrets, never in a backup); the server believes no
time the cookie could claim. A session counts while its row is live: signing out, a new
password, a disable or a role change end every session of that user at once (`end_all`),
and the idle and absolute limits are checked against the row, so a reload, a new tab or
another server process sees the same state.

Sign-in attempts are counted by account and client together: a client that keeps failing
for an account waits longer before each further try (back-off), while the account's own user
on another client signs in as usual. A client failing across many accounts is slowed too.

No Streamlit here: the adapter (dashboard.py, serve.py) passes in the client's address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from cjb_tracker import audit, store

# A session ends after this long without use, and after this long in all.
IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=10)
# The last use is written at most this often (every script run reads the row; few write it).
TOUCH_EVERY = timedelta(minutes=1)
# A sign-in code handed to the browser to fetch its cookie lives this long (serve.py).
HANDOFF_LIFETIME = timedelta(seconds=60)

# The throttle: within WINDOW, after FREE_FAILURES failures of one account from one client,
# each further try waits FIRST_WAIT, doubling with each failure, up to LONGEST_WAIT. A client
# failing for any accounts CLIENT_FAILURES times in the window waits the same way.
WINDOW = timedelta(minutes=15)
FREE_FAILURES = 5
CLIENT_FAILURES = 20
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)

LOCAL_CLIENT = "local"  # a client on the server itself (Streamlit reports no address)

ENDED = {
    "idle": "Your session ended after 30 minutes without use. Sign in again.",
    "limit": "Your session reached its 10-hour limit. Sign in again.",
}
_ENDED_OTHERWISE = "Your session has ended ({reason}). Sign in again."


@dataclass(frozen=True)
class Session:
    """A live session, as its row says."""

    session_id: str
    username: str
    how: str
    started_at: datetime
    last_seen_at: datetime


def now_utc() -> datetime:
    return datetime.now(UTC)


# --- Starting, checking and ending ------------------------------------------------------


def start(
    con: duckdb.DuckDBPyConnection,
    username: str,
    how: str,
    client: str,
    now: datetime | None = None,
) -> Session:
    """A new live session for a user who has just signed in."""
    at = now or now_utc()
    session = Session(secrets.token_hex(32), username, how, at, at)
    with store.transaction(con) as cur:
        cur.execute(
            "insert into sessions (session_id, username, how, client, started_at, last_seen_at)"
            " values (?, ?, ?, ?, ?, ?)",
            [session.session_id, username, how, client, at, at],
        )
    return session


def check(
    con: duckdb.DuckDBPyConnection, session_id: str, now: datetime | None = None
) -> tuple[Session | None, str | None]:
    """The live session with this id, its last use moved to now; or None and the sentence
    that says why it no longer counts (None when there never was such a session). A session
    past its idle or absolute limit is ended here."""
    at = now or now_utc()
    row = _row(con, session_id)
    if row is None:
        return None, None
    session, ended, reason = row
    if ended:
        return None, ENDED.get(reason or "", _ENDED_OTHERWISE.format(reason=reason))
    expired = _expiry(session, at)
    if expired:
        end(con, session_id, expired)
        return None, ENDED[expired]
    if at - session.last_seen_at >= TOUCH_EVERY:
        _touch(con, session_id, at)
    return session, None


def peek(con: duckdb.DuckDBPyConnection, session_id: str, now: datetime | None = None) -> bool:
    """Whether the session is live and within its limits, without using it (for serve.py's
    guard of downloads: a download does not keep a session alive)."""
    row = _row(con, session_id)
    if row is None or row[1]:
        return False
    return _expiry(row[0], now or now_utc()) is None


def end(con: duckdb.DuckDBPyConnection, session_id: str, reason: str) -> None:
    """End one session (signed out, idle, limit), if it is live."""
    with store.transaction(con) as cur:
        ended = cur.execute(
            "update sessions set ended_at = now(), end_reason = ?"
            " where session_id = ? and ended_at is null returning username",
            [reason, session_id],
        ).fetchall()
        if ended:
            audit.record(cur, ended[0][0], "session", ended[0][0], "ended", reason)


def end_all(cur: duckdb.DuckDBPyConnection, username: str, reason: str) -> int:
    """End every live session of a user, inside the caller's transaction (a password, a
    disable, a role change, or the chair ending them); returns how many were live."""
    ended = cur.execute(
        "update sessions set ended_at = now(), end_reason = ?"
        " where username = ? and ended_at is null returning session_id",
        [reason, username],
    ).fetchall()
    return len(ended)


def ended_since(con: duckdb.DuckDBPyConnection, username: str, since: datetime) -> bool:
    """Whether a session of this user ended at or after `since`."""
    return bool(
        store.scalar(
            con,
            "select count(*) from sessions where username = ? and ended_at >= ?",
            [username, since],
        )
    )


def live_sessions(con: duckdb.DuckDBPyConnection, username: str) -> int:
    return int(
        store.scalar(
            con,
            "select count(*) from sessions where username = ? and ended_at is null",
            [username],
        )
    )


def _row(
    con: duckdb.DuckDBPyConnection, session_id: str
) -> tuple[Session, bool, str | None] | None:
    cur = con.cursor()
    try:
        rows = cur.execute(
            "select username, how, started_at, last_seen_at, ended_at, end_reason"
            " from sessions where session_id = ?",
            [session_id],
        ).fetchall()
    finally:
        cur.close()
    if not rows:
        return None
    username, how, started, seen, ended_at, reason = rows[0]
    session = Session(session_id, username, how, started.astimezone(UTC), seen.astimezone(UTC))
    return session, ended_at is not None, reason


def _expiry(session: Session, at: datetime) -> str | None:
    if session.started_at > at + TOUCH_EVERY:  # a start in the future: never ours
        return "limit"
    if at - session.started_at > SESSION_LIMIT:
        return "limit"
    if at - session.last_seen_at > IDLE_TIMEOUT:
        return "idle"
    return None


def _touch(con: duckdb.DuckDBPyConnection, session_id: str, at: datetime) -> None:
    try:
        with store.transaction(con) as cur:
            cur.execute(
                "update sessions set last_seen_at = ? where session_id = ? and ended_at is null",
                [at, session_id],
            )
    except duckdb.TransactionException:
        pass  # another run of the same session moved it at the same moment: that will do


# --- The cookie and the sign-in code ------------------------------------------------------

COOKIE = "cjb_tracker_session"


def cookie_value(key: bytes, session_id: str) -> str:
    """What the session cookie holds: the id and its signature."""
    return f"{session_id}.{_sign(key, 'cookie', session_id)}"


def session_id_from_cookie(key: bytes, value: str | None) -> str | None:
    """The session id a cookie carries, when the signature is ours."""
    if not isinstance(value, str):
        return None
    session_id, _, signature = value.partition(".")
    if len(session_id) != 64 or not hmac.compare_digest(
        signature, _sign(key, "cookie", session_id)
    ):
        return None
    return session_id


def handoff_code(key: bytes, session_id: str, now: datetime | None = None) -> str:
    """A short-lived code the signed-in page gives serve.py for its HttpOnly cookie, so the
    cookie's own value never passes through the page."""
    expires = int(((now or now_utc()) + HANDOFF_LIFETIME).timestamp())
    payload = f"{session_id}.{expires}"
    return f"{payload}.{_sign(key, 'handoff', payload)}"


def session_id_from_handoff(key: bytes, code: str, now: datetime | None = None) -> str | None:
    parts = code.strip().split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(parts[2], _sign(key, "handoff", payload)):
        return None
    if int(parts[1]) < (now or now_utc()).timestamp():
        return None
    return parts[0]


def _sign(key: bytes, purpose: str, payload: str) -> str:
    return hmac.new(key, f"{purpose}:{payload}".encode(), hashlib.sha256).hexdigest()


# --- The throttle -----------------------------------------------------------------------


def wait_until(
    con: duckdb.DuckDBPyConnection, username: str, client: str, now: datetime | None = None
) -> datetime | None:
    """When this client may next try to sign in to this account (None: now)."""
    at = now or now_utc()
    cur = con.cursor()
    try:
        rows = cur.execute(
            "with failed as ("
            "  select username, attempted_at from sign_in_attempts"
            "  where client = $c and not succeeded and attempted_at > $since)"
            " select"
            "  (select count(*) from failed where username = $u and attempted_at > $reset),"
            "  (select max(attempted_at) from failed where username = $u),"
            "  (select count(*) from failed),"
            "  (select max(attempted_at) from failed)",
            {
                "u": username,
                "c": client,
                "since": at - WINDOW,
                "reset": _last_success(cur, username, client),
            },
        ).fetchall()
    finally:
        cur.close()
    account_failures, account_last, client_failures, client_last = rows[0]
    waits = [
        _after(account_failures, account_last, FREE_FAILURES),
        _after(client_failures, client_last, CLIENT_FAILURES),
    ]
    until = max((w for w in waits if w is not None), default=None)
    return until if until is not None and until > at else None


def _last_success(cur: duckdb.DuckDBPyConnection, username: str, client: str) -> datetime:
    """A success from this client resets its count for the account."""
    found = cur.execute(
        "select max(attempted_at) from sign_in_attempts"
        " where username = ? and client = ? and succeeded",
        [username, client],
    ).fetchall()[0][0]
    return found if found is not None else datetime(1970, 1, 1, tzinfo=UTC)


def _after(failures: int, last: datetime | None, free: int) -> datetime | None:
    if failures < free or last is None:
        return None
    wait: timedelta = min(FIRST_WAIT * 2 ** (failures - free), LONGEST_WAIT)
    until: datetime = last.astimezone(UTC) + wait
    return until


def record_attempt(
    cur: duckdb.DuckDBPyConnection, username: str, client: str, succeeded: bool
) -> None:
    cur.execute(
        "insert into sign_in_attempts (attempt_id, username, client, succeeded)"
        " values (nextval('sign_in_attempt_seq'), ?, ?, ?)",
        [username, client, succeeded],
    )


def client_name(address: object) -> str:
    """The client as the throttle and the audit name it (no address: on the server)."""
    return (address.strip()[:64] if isinstance(address, str) else "") or LOCAL_CLIENT
