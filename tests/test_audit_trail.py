"""The audit trail (BAD-INPUTS.md item 34): every sign-in, import (committed, rejected, a
duplicate, refused), closure proposal and decision, undo, change to users and export is
recorded with who, when, what and how it ended; and no write leaves any earlier event as
it was not.

One scenario, step by step through the library's own write paths, the command line and
the pages (AppTest). After each step the test reads the table itself: the step added
exactly the events expected, each stamped with a time inside the step, and every event
written before the step is still there with every column unchanged. (DuckDB has no
triggers or grants to forbid an UPDATE; what this shows is that no path of the tracker's,
used as people use it, changes or removes an event.)"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from helpers import TEST_PASSWORDS, run_cli, sign_in
from streamlit.testing.v1 import AppTest

from cjb_tracker import auth, decisions, ingest, packs, session_routes, session_store, store
from cjb_tracker.decisions import Decision
from cjb_tracker.errors import NotAllowed

DASHBOARD = str(Path(__file__).parents[1] / "dashboard.py")
HEADER = b"recommendation_id,meeting_date,status,rag,update,evidence\n"
PROPOSAL = HEADER + b"RAPE1-R3,12/01/2022,Closure proposed,Green,Done.,Audit report Dec 2021\n"
UNKNOWN = HEADER + b"RAPE1-R99,12/01/2022,In progress,Green,No such recommendation.,\n"
OCTOBER = "CJB:2021-10-13"

Event = tuple[str, str, str | None, str, str | None]  # actor, action, target, outcome, detail


@dataclass
class Step:
    """One thing people do, and the events it must add (a detail is matched as a regular
    expression, with the batch numbers the scenario has seen so far filled in)."""

    name: str
    run: Callable[[Path], None]
    expected: list[Event]


BATCHES: dict[str, int] = {}


@contextmanager
def opened(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = store.connect(db)
    try:
        yield con
    finally:
        con.close()


def user(con: duckdb.DuckDBPyConnection, name: str) -> auth.User:
    found = auth.get_user(con, name)
    assert found is not None
    return found


def trail(db: Path) -> list[tuple[Any, ...]]:
    """Every column of every event, in the order they were written."""
    with opened(db) as con:
        return con.execute("select * from audit_events order by event_id").fetchall()


# --- The steps ----------------------------------------------------------------------------


def chair_signs_in(db: Path) -> None:
    with opened(db) as con:
        auth.sign_in(con, "chair", TEST_PASSWORDS["chair"])


def wrong_password(db: Path) -> None:
    with opened(db) as con, pytest.raises(NotAllowed):
        auth.sign_in(con, "member", "not the password")


def imported(db: Path, name: str, data: bytes, by: str) -> ingest.ImportResult:
    with opened(db) as con:
        return ingest.import_file(con, "updates", name, data, imported_by=user(con, by))


def lead_proposes_a_closure(db: Path) -> None:
    result = imported(db, "jan.csv", PROPOSAL, "lead")
    assert result.status == "committed" and result.batch_id is not None, result.errors
    BATCHES["proposal"] = result.batch_id


def the_same_file_again(db: Path) -> None:
    assert imported(db, "jan.csv", PROPOSAL, "lead").status == "duplicate"


def a_rejected_file(db: Path) -> None:
    assert imported(db, "bad.csv", UNKNOWN, "chair").status == "rejected"


def a_member_tries_to_import(db: Path) -> None:
    with pytest.raises(NotAllowed):
        imported(db, "m.csv", PROPOSAL, "member")


def the_board_accepts(db: Path) -> None:
    decision = Decision("RAPE1-R3", "CJB:2022-01-12", True, minute="CJB/22/01/4")
    with opened(db) as con:
        BATCHES["decision"] = decisions.decide(con, user(con, "chair"), decision)


def the_chair_undoes_the_decision(db: Path) -> None:
    with opened(db) as con:
        ingest.undo_batch(con, BATCHES["decision"], user(con, "chair"))


def the_chair_adds_a_user(db: Path) -> None:
    with opened(db) as con:
        auth.add_user(con, user(con, "chair"), "new.member", "New Member", "member",
                      password="a-long-password")  # fmt: skip


def the_command_line_exports_a_pack(db: Path) -> None:
    out = db.parent / "pack.csv"
    done = run_cli("export", "pack", "--meeting", OCTOBER, "--format", "csv", "--out", str(out),
                   "--by", "Secretariat", db=db)  # fmt: skip
    assert done.returncode == 0, done.stderr


def a_member_downloads_the_pack_on_the_meetings_page(db: Path) -> None:
    """The Meetings page links the pack to serve.py's /api/pack (issue 21), which makes it
    for a live session's request and audits it as it is sent: that route, in Starlette's
    own test client, with a member's session cookie."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    with opened(db) as con:
        session = session_store.start(con, "member", "password", "local")
        cookie = session_store.cookie_value(auth.cookie_secret(con), session.session_id)
        routes = session_routes.routes(lambda: con, lambda m, f: packs.build(con, m, f))
        with TestClient(Starlette(routes=routes)) as client:
            client.cookies.set(auth.COOKIE, cookie)
            sent = client.get(session_routes.pack_url(OCTOBER, "html"))
    assert sent.status_code == 200 and b"<html" in sent.content.lower()


def the_chair_downloads_the_trail(db: Path) -> None:
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=120), "chair")
    at.switch_page("pages/7_audit.py").run()
    [download] = [d for d in at.download_button if d.key == "audit_csv"]
    download.click().run()
    assert not at.exception


SCENARIO = [
    Step("sign-in", chair_signs_in,
         [("chair", "sign-in", "chair", "success", "client local")]),
    Step("wrong password", wrong_password,
         [("member", "sign-in", "member", "failure", "wrong password; client local")]),
    Step("committed import with a closure proposal", lead_proposes_a_closure, [
        ("lead", "import", "jan.csv", "committed", r"batch {proposal}: 1 row\(s\)"),
        ("lead", "closure-proposal", "RAPE1-R3", "committed",
         r"for CJB:2022-01-12, batch {proposal}"),
    ]),
    Step("the same file again", the_same_file_again,
         [("lead", "import", "jan.csv", "duplicate", r"batch \d+")]),
    Step("rejected import", a_rejected_file,
         [("chair", "import", "bad.csv", "rejected", r"batch \d+: 1 problem\(s\)")]),
    Step("refused import", a_member_tries_to_import,
         [("member", "import", "m.csv", "refused", r"A member cannot upload updates\..*")]),
    Step("closure decision", the_board_accepts, [
        ("chair", "closure-decision", "RAPE1-R3", "accepted",
         r"at CJB:2022-01-12, batch {decision}: minute CJB/22/01/4"),
    ]),
    Step("undo", the_chair_undoes_the_decision,
         [("chair", "undo", "batch {decision}", "success", None)]),
    Step("user added", the_chair_adds_a_user,
         [("chair", "user", "new.member", "success", "added as member")]),
    Step("export by the command line", the_command_line_exports_a_pack,
         [("Secretariat", "export", OCTOBER, "success", "csv")]),
    Step("export on the Meetings page", a_member_downloads_the_pack_on_the_meetings_page,
         [("member", "export", OCTOBER, "success", r"board pack \(html\)")]),
    Step("export of the trail itself", the_chair_downloads_the_trail,
         [("chair", "export", "audit trail", "success", r"\d+ event\(s\) as CSV")]),
]  # fmt: skip


def matches(found: tuple[Any, ...], wanted: Event) -> bool:
    """Whether an event row (without its id and time) is the one wanted."""
    *fixed, detail = wanted
    fixed = [None if f is None else f.format(**BATCHES) for f in fixed]
    if list(found[:4]) != fixed:
        return False
    if detail is None:
        return found[4] is None
    return (
        isinstance(found[4], str) and re.fullmatch(detail.format(**BATCHES), found[4]) is not None
    )


def test_every_write_is_audited_with_its_time_and_leaves_earlier_events_as_they_were(
    dashboard_db: Path,
) -> None:
    BATCHES.clear()
    before_all = trail(dashboard_db)
    assert len(before_all) > 3  # the test accounts' set-up: users added
    earlier = before_all
    for step in SCENARIO:
        started = datetime.now(UTC)
        step.run(dashboard_db)
        ended = datetime.now(UTC)
        now = trail(dashboard_db)
        # Append-only: every earlier event is still there, every column as it was.
        assert now[: len(earlier)] == earlier, f"{step.name} changed an earlier event"
        added = now[len(earlier) :]
        assert len(added) == len(step.expected), (step.name, added)
        for (event_id, occurred_at, *rest), wanted in zip(added, step.expected, strict=True):
            assert matches(tuple(rest), wanted), (step.name, rest, wanted)
            assert isinstance(occurred_at, datetime) and occurred_at.tzinfo is not None
            assert started <= occurred_at <= ended, (step.name, started, occurred_at, ended)
            assert event_id > earlier[-1][0]
        earlier = now
    # Ids only grow, and so does the time, in the order the events were written.
    assert [e[0] for e in earlier] == sorted({e[0] for e in earlier})
    assert [e[1] for e in earlier] == sorted(e[1] for e in earlier)
