"""Sessions that end when they should (issue 21), at the library's level: sessions kept on
the server and ended there (signing out, a new password, a disable, a role change, the
chair; the idle and 10-hour limits known to the server), cookies that carry nothing but a
signed id, a sign-in throttle by account and client, and backups that hold no key that
signs sessions."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from helpers import TEST_PASSWORDS, add_test_accounts, in_postgres

from cjb_tracker import audit, auth, migrate, session_store, store
from cjb_tracker.errors import NotAllowed
from cjb_tracker.replica import Replica

ROOT = Path(__file__).parents[1]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cjb_tracker", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)


def chair_cookie(con: duckdb.DuckDBPyConnection) -> str:
    session = session_store.start(con, "chair", "password", "local")
    return session_store.cookie_value(auth.cookie_secret(con), session.session_id)


def user(con: duckdb.DuckDBPyConnection, role: str) -> auth.User:
    found = auth.get_user(con, role)
    assert found is not None
    return found


def signs_in(con: duckdb.DuckDBPyConnection, cookie: str) -> bool:
    """Whether the cookie carries a live session of this database."""
    session_id = session_store.session_id_from_cookie(auth.cookie_secret(con), cookie)
    return session_id is not None and session_store.check(con, session_id)[0] is not None


@pytest.fixture
def db(fixture_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    add_test_accounts(fixture_db)
    return fixture_db


T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


# --- Sessions on the server ---------------------------------------------------------------


def test_a_session_lives_while_used_and_ends_after_30_idle_minutes(
    db: duckdb.DuckDBPyConnection,
) -> None:
    session = session_store.start(db, "chair", "password", "local", now=T0)
    assert session_store.check(db, session.session_id, T0 + timedelta(minutes=29))[0]
    # Used at 29 minutes, so alive at 58; then idle for more than 30.
    assert session_store.check(db, session.session_id, T0 + timedelta(minutes=58))[0]
    ended, why = session_store.check(db, session.session_id, T0 + timedelta(minutes=89))
    assert ended is None and why == session_store.ENDED["idle"]
    # Ended once for all: being used again does not bring it back.
    assert session_store.check(db, session.session_id, T0 + timedelta(minutes=90))[0] is None
    assert audit.events(db, action="session")["detail"].iloc[0] == "idle"


def test_a_session_in_use_still_ends_10_hours_after_it_started(
    db: duckdb.DuckDBPyConnection,
) -> None:
    session = session_store.start(db, "chair", "password", "local", now=T0)
    for minutes in range(20, 600, 20):
        assert session_store.check(db, session.session_id, T0 + timedelta(minutes=minutes))[0]
    ended, why = session_store.check(db, session.session_id, T0 + timedelta(hours=10, minutes=1))
    assert ended is None and why == session_store.ENDED["limit"]


def test_a_session_said_to_start_in_the_future_is_refused(db: duckdb.DuckDBPyConnection) -> None:
    session = session_store.start(db, "chair", "password", "local", now=T0 + timedelta(hours=5))
    assert session_store.check(db, session.session_id, T0)[0] is None


def test_the_cookie_carries_only_a_signed_id(db: duckdb.DuckDBPyConnection) -> None:
    key = auth.cookie_secret(db)
    session = session_store.start(db, "lead", "password", "local")
    cookie = session_store.cookie_value(key, session.session_id)
    assert session_store.session_id_from_cookie(key, cookie) == session.session_id
    assert "lead" not in cookie  # no name, no time: nothing the browser could change
    session_id, signature = cookie.split(".")
    forged = ("0" * 64) + "." + signature
    assert session_store.session_id_from_cookie(key, forged) is None
    assert session_store.session_id_from_cookie(b"another key", cookie) is None
    assert session_store.session_id_from_cookie(key, "garbage") is None
    assert session_store.session_id_from_cookie(key, None) is None


def test_a_sign_in_code_runs_out_after_a_minute(db: duckdb.DuckDBPyConnection) -> None:
    key = auth.cookie_secret(db)
    code = session_store.handoff_code(key, "ab" * 32, now=T0)
    assert session_store.session_id_from_handoff(key, code, T0 + timedelta(seconds=59))
    assert session_store.session_id_from_handoff(key, code, T0 + timedelta(seconds=61)) is None
    assert session_store.session_id_from_handoff(b"x" * 32, code, T0) is None
    # The cookie's signature is no code, nor a code a cookie.
    cookie = session_store.cookie_value(key, "ab" * 32)
    assert session_store.session_id_from_handoff(key, cookie, T0) is None
    assert session_store.session_id_from_cookie(key, code) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda con: auth.set_password(con, auth.operator("chair"), "lead", "a-new-password-1"),
        lambda con: auth.set_password(
            con, auth.operator("chair"), "lead", "one-time-password-1", one_time=True
        ),
        lambda con: auth.set_enabled(con, auth.operator("chair"), "lead", False),
        lambda con: auth.set_role(con, auth.operator("chair"), "lead", "member"),
        lambda con: auth.end_sessions(con, auth.operator("chair"), "lead"),
        lambda con: auth.change_own_password(
            con, user(con, "lead"), TEST_PASSWORDS["lead"], "my-own-password-1"
        ),
    ],
    ids=["chair-set password", "one-time password", "disable", "role change", "ended by the "
         "chair", "own password"],
)  # fmt: skip
def test_every_session_of_the_user_ends_at_once(
    db: duckdb.DuckDBPyConnection, change: Callable[[duckdb.DuckDBPyConnection], None]
) -> None:
    key = auth.cookie_secret(db)
    cookies = [
        session_store.cookie_value(key, session_store.start(db, "lead", how, "local").session_id)
        for how in ("password", "password", "single sign-on")
    ]
    other = chair_cookie(db)
    change(db)
    assert [signs_in(db, c) for c in cookies] == [False, False, False]
    assert signs_in(db, other)  # another user's session is untouched
    assert session_store.live_sessions(db, "lead") == 0
    assert "3 session(s) ended" in audit.events(db, action="user")["detail"].iloc[0]


def test_signing_out_ends_that_session_only(db: duckdb.DuckDBPyConnection) -> None:
    first = session_store.start(db, "lead", "password", "local")
    second = session_store.start(db, "lead", "password", "local")
    session_store.end(db, first.session_id, "signed out")
    assert session_store.check(db, first.session_id)[0] is None
    assert session_store.check(db, second.session_id)[0] is not None


def test_a_one_time_password_must_be_changed_and_the_users_own_clears_it(
    db: duckdb.DuckDBPyConnection,
) -> None:
    auth.set_password(db, auth.operator("chair"), "lead", "one-time-password-1", one_time=True)
    assert auth.must_change_password(db, "lead")
    assert not auth.must_change_password(db, "member")
    with pytest.raises(NotAllowed, match="current password is not right"):
        auth.change_own_password(db, user(db, "lead"), "wrong-password-1", "my-own-password-1")
    auth.change_own_password(db, user(db, "lead"), "one-time-password-1", "my-own-password-1")
    assert not auth.must_change_password(db, "lead")
    assert auth.sign_in(db, "lead", "my-own-password-1").username == "lead"


# --- The throttle: by account and client together --------------------------------------


def test_a_stranger_failing_for_the_chair_does_not_lock_the_chair_out(
    db: duckdb.DuckDBPyConnection,
) -> None:
    stranger, chairs_pc = "203.0.113.66", "198.51.100.7"
    for _ in range(session_store.FREE_FAILURES):
        with pytest.raises(NotAllowed, match="not right"):
            auth.sign_in(db, "chair", "guess-guess-guess", stranger)
    # The stranger now waits, even with the right password...
    with pytest.raises(NotAllowed, match="Too many failed sign-ins for this account from this"):
        auth.sign_in(db, "chair", TEST_PASSWORDS["chair"], stranger)
    # ...while the chair, on their own computer, signs in as usual.
    assert auth.sign_in(db, "chair", TEST_PASSWORDS["chair"], chairs_pc).username == "chair"
    found = audit.events(db, action="sign-in")
    assert list(zip(found["outcome"][:2], found["detail"][:2], strict=True)) == [
        ("success", f"client {chairs_pc}"),
        ("refused", f"waiting; client {stranger}"),
    ]
    assert (found["detail"] == f"wrong password; client {stranger}").sum() == 5


def test_the_wait_doubles_with_each_further_failure_up_to_15_minutes(
    db: duckdb.DuckDBPyConnection,
) -> None:
    waits = []
    for n in range(1, 12):
        with store.transaction(db) as cur:
            session_store.record_attempt(cur, "chair", "203.0.113.66", False)
        last = store.scalar(db, "select max(attempted_at) from sign_in_attempts")
        until = session_store.wait_until(db, "chair", "203.0.113.66", now=last)
        waits.append(None if until is None else round((until - last).total_seconds()))
        del n
    assert waits == [None, None, None, None, 30, 60, 120, 240, 480, 900, 900]


def test_a_client_failing_across_many_accounts_is_slowed_too(
    db: duckdb.DuckDBPyConnection,
) -> None:
    with store.transaction(db) as cur:
        for n in range(session_store.CLIENT_FAILURES):
            session_store.record_attempt(cur, f"name{n}", "203.0.113.66", False)
    assert session_store.wait_until(db, "chair", "203.0.113.66") is not None
    assert session_store.wait_until(db, "chair", "198.51.100.7") is None


def test_a_success_from_the_client_resets_its_count(db: duckdb.DuckDBPyConnection) -> None:
    for _ in range(session_store.FREE_FAILURES - 1):
        with pytest.raises(NotAllowed):
            auth.sign_in(db, "lead", "wrong-wrong-wrong", "198.51.100.7")
    auth.sign_in(db, "lead", TEST_PASSWORDS["lead"], "198.51.100.7")
    with pytest.raises(NotAllowed, match="not right"):
        auth.sign_in(db, "lead", "wrong-wrong-wrong", "198.51.100.7")
    assert session_store.wait_until(db, "lead", "198.51.100.7") is None


# --- Backups ---------------------------------------------------------------------------


def test_many_people_signing_in_at_once_on_the_shared_connection_all_get_in(
    db: duckdb.DuckDBPyConnection,
) -> None:
    # What make load does to a dashboard: thirty people signing in within a second, each page
    # run on its own thread over the process's one connection. Each sign-in records an
    # attempt and starts a session; the first page asks whether the password must change.
    errors: list[BaseException] = []
    signed: list[str] = []
    start = threading.Barrier(8)

    def person(number: int) -> None:
        try:
            start.wait()
            for _ in range(4):
                found = auth.sign_in(db, "member", TEST_PASSWORDS["member"], f"client {number}")
                session_store.start(db, found.username, "password", f"client {number}")
                assert not auth.must_change_password(db, found.username)
                signed.append(found.username)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=person, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(signed) == 32
    attempts = db.execute("select count(*), count(distinct attempt_id) from sign_in_attempts")
    assert attempts.fetchall() == [(32, 32)]


def test_a_backup_holds_no_session_key_and_the_database_keeps_its_own(
    fixture_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    add_test_accounts(fixture_db)
    key = auth.cookie_secret(fixture_db)
    store.backup(fixture_db, tmp_path / "backup")
    saved = tmp_path / "backup" / "server_secrets.parquet"
    assert fixture_db.execute(f"select count(*) from '{saved}'").fetchall() == [(0,)]
    assert auth.cookie_secret(fixture_db) == key  # the running database keeps its key


def test_a_restored_backup_refuses_a_cookie_signed_before(
    fixture_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    add_test_accounts(fixture_db)
    cookie = chair_cookie(fixture_db)
    assert signs_in(fixture_db, cookie)
    store.backup(fixture_db, tmp_path / "backup")
    fixture_db.close()
    done = cli("restore", str(tmp_path / "backup"), "--db", str(tmp_path / "restored.duckdb"))
    assert done.returncode == 0, done.stderr
    assert "has a new session key: everyone must sign in again" in done.stdout
    restored = store.open_tracker(tmp_path / "restored.duckdb")
    try:
        assert not signs_in(restored, cookie)
        assert auth.get_user(restored, "chair") is not None  # the users came back
    finally:
        restored.close()


def test_a_backup_made_with_the_key_in_it_gets_a_new_key_on_restore(
    fixture_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Backups made before this change (EXPORT DATABASE of everything) hold the key."""
    add_test_accounts(fixture_db)
    cookie = chair_cookie(fixture_db)
    fixture_db.execute("checkpoint")
    fixture_db.execute(f"export database '{tmp_path / 'old-backup'}' (format parquet)")
    new = store.connect(tmp_path / "restored.duckdb")
    try:
        migrate.restore(new, tmp_path / "old-backup", by="test")
        assert session_store.session_id_from_cookie(auth.cookie_secret(new), cookie) is None
    finally:
        new.close()


# --- Several replicas on one PostgreSQL (issue 19) ---------------------------------------
#
# Each replica reads its own copy; what one writes reaches the others through PostgreSQL
# (cjb_tracker.replica). A page run, and each request to serve.py's routes, catches up first
# (web.keep_up, web.current_connection), as these tests do with catch_up.


def test_a_session_started_on_one_replica_counts_on_another_until_signed_out(
    two_replicas: tuple[Replica, Replica], postgres_tracker: str
) -> None:
    first, second = two_replicas
    key = auth.cookie_secret(first.local)
    # One session key, kept in PostgreSQL: a cookie signed by one replica verifies on all.
    assert auth.cookie_secret(second.local) == key
    assert in_postgres(postgres_tracker, "select value from server_secrets") == [(key.hex(),)]

    session = session_store.start(first.local, "chair", "password", "198.51.100.7")
    cookie = session_store.cookie_value(key, session.session_id)
    second.catch_up()
    assert signs_in(second.local, cookie)

    session_store.end(first.local, session.session_id, "signed out")
    assert in_postgres(
        postgres_tracker,
        "select end_reason from sessions where session_id = %s",
        [session.session_id],
    ) == [("signed out",)]
    second.catch_up()
    assert not signs_in(second.local, cookie)
    assert not signs_in(first.local, cookie)


@pytest.mark.parametrize(
    "change",
    [
        lambda con: auth.set_password(con, auth.operator("chair"), "lead", "another-password-1"),
        lambda con: auth.set_enabled(con, auth.operator("chair"), "lead", False),
        lambda con: auth.set_role(con, auth.operator("chair"), "lead", "member"),
        lambda con: auth.end_sessions(con, auth.operator("chair"), "lead"),
    ],
    ids=["new password", "disable", "role change", "ended by the chair"],
)
def test_the_chair_on_one_replica_ends_a_users_sessions_on_every_replica(
    two_replicas: tuple[Replica, Replica], change: Callable[[duckdb.DuckDBPyConnection], None]
) -> None:
    first, second = two_replicas
    key = auth.cookie_secret(first.local)
    session = session_store.start(first.local, "lead", "password", "local")
    cookie = session_store.cookie_value(key, session.session_id)
    second.catch_up()
    change(second.local)
    first.catch_up()
    assert not signs_in(first.local, cookie)


def test_a_sessions_last_use_on_one_replica_keeps_it_alive_on_another(
    two_replicas: tuple[Replica, Replica],
) -> None:
    first, second = two_replicas
    session = session_store.start(first.local, "chair", "password", "local", now=T0)
    second.catch_up()
    assert session_store.check(second.local, session.session_id, T0 + timedelta(minutes=25))[0]
    # Only a session's last use changed: the first replica copies it, and keeps its pages'
    # cached results (a session's use is no change to the tracker's records).
    assert first.catch_up() is False
    # Used on the second replica 25 minutes in, so not idle on the first at 50 minutes.
    assert session_store.check(first.local, session.session_id, T0 + timedelta(minutes=50))[0]


def test_records_copied_while_a_replica_writes_a_session_still_clear_its_caches(
    two_replicas: tuple[Replica, Replica],
) -> None:
    first, second = two_replicas
    session = session_store.start(second.local, "lead", "password", "local")
    auth.add_user(
        first.local, auth.operator("chair"), "new.lead", "New Lead", "lead",
        password="new-lead-password-1",
    )  # fmt: skip
    # The second replica's sign-out takes the lock and copies the new user first; its next
    # catch_up still says something changed, so its pages forget what they cached.
    session_store.end(second.local, session.session_id, "signed out")
    assert auth.get_user(second.local, "new.lead") is not None
    assert second.catch_up() is True
    assert second.catch_up() is False


def test_failed_sign_ins_on_one_replica_count_on_another(
    two_replicas: tuple[Replica, Replica],
) -> None:
    first, second = two_replicas
    stranger, chairs_pc = "203.0.113.66", "198.51.100.7"
    for _ in range(session_store.FREE_FAILURES):
        with pytest.raises(NotAllowed, match="not right"):
            auth.sign_in(first.local, "chair", "guess-guess-guess", stranger)
    second.catch_up()
    with pytest.raises(NotAllowed, match="Too many failed sign-ins for this account from this"):
        auth.sign_in(second.local, "chair", TEST_PASSWORDS["chair"], stranger)
    assert auth.sign_in(second.local, "chair", TEST_PASSWORDS["chair"], chairs_pc).username == (
        "chair"
    )
