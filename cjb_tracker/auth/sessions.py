"""Signed-in browser sessions: how long one lasts, and the signed cookie that carries it
across a reload or a new tab. Nothing here reads or writes a user; dashboard.py keeps the
Session in the browser session and checks its user against the database on every run."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import duckdb

from cjb_tracker import store
from cjb_tracker.errors import TrackerError

# Sessions end after this long without use, and after this long in all.
IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=10)


@dataclass
class Session:
    """A signed-in browser session: whose, and when it started and was last used."""

    username: str
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    last_seen: datetime = field(default_factory=lambda: datetime.now(UTC))

    def expired(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return now - self.last_seen > IDLE_TIMEOUT or now - self.started > SESSION_LIMIT

    def touch(self, now: datetime | None = None) -> None:
        self.last_seen = now or datetime.now(UTC)


# A signed session cookie lets a reload or a link opened in a new tab carry on the session
# until SESSION_LIMIT after signing in: "<username, base64>.<issued, epoch s>.<HMAC-SHA256>".
COOKIE = "cjb_tracker_session"
# Where the browser session keeps its Session (st.session_state, in dashboard.py).
SESSION_KEY = "signed_in"


def cookie_secret(con: duckdb.DuckDBPyConnection) -> bytes:
    """The key that signs session cookies, made with the database (store.create_schema).
    (A file that lacks one gets one here; when two sign-ins make one at the same moment,
    the second commit fails and the first one's key is read.)"""
    for _ in range(3):
        try:
            with store.transaction(con) as cur:
                found = cur.execute(store.load_query("session_cookie_secret")).fetchall()
                if found:
                    return bytes.fromhex(found[0][0])
                value = secrets.token_hex(32)
                store.run_script(cur, "insert_session_cookie_secret", value=value)
            return bytes.fromhex(value)
        except (duckdb.TransactionException, duckdb.ConstraintException):
            continue  # made by another session meanwhile: read it
    raise TrackerError("The session key could not be read. Try signing in again.")


def session_token(secret: bytes, session: Session) -> str:
    name = base64.urlsafe_b64encode(session.username.encode()).decode().rstrip("=")
    payload = f"{name}.{int(session.started.timestamp())}"
    return f"{payload}.{_signature(secret, payload)}"


def session_from_token(secret: bytes, token: str | None) -> Session | None:
    """The session a cookie carries, when its signature is ours and it has not run out."""
    parts = (token or "").split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(parts[2], _signature(secret, payload)):
        return None
    try:
        username = base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    session = Session(username, started=datetime.fromtimestamp(int(parts[1]), UTC))
    return None if session.expired() else session


def _signature(secret: bytes, payload: str) -> str:
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
