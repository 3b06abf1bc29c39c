"""The session cookie's name and key. Sessions themselves, kept on the server (how long one
lasts, how it ends, the sign-in throttle), are cjb_tracker.session_store's; dashboard.py keeps
the session in the browser session and checks its row on every run."""

from __future__ import annotations

import secrets

import duckdb

from cjb_tracker import session_store, store
from cjb_tracker.errors import TrackerError

# The cookie that carries a session across reloads and new tabs (session_store.cookie_value:
# the session's id, signed; the session itself is a row the server keeps).
COOKIE = session_store.COOKIE
# Where the browser session keeps its session_store.Session (st.session_state, in
# dashboard.py).
SESSION_KEY = "signed_in"


def cookie_secret(con: duckdb.DuckDBPyConnection) -> bytes:
    """The key that signs session cookies, made with the database (store.create_schema).
    (A file that lacks one gets one here; when two sign-ins make one at the same moment,
    the second commit fails and the first one's key is read.) Read without a write: on a
    tracker kept in PostgreSQL a write takes the replicas' shared lock, and every page run
    and every /media/ request reads the key; the key itself is replicated like any row, so
    a cookie signed by one replica verifies on every other."""
    cur = con.cursor()
    try:
        found = cur.execute(store.load_query("session_cookie_secret")).fetchall()
    finally:
        cur.close()
    if found:
        return bytes.fromhex(found[0][0])
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
