"""Who may do what (issue 4): roles refused in the write functions themselves, a lead's file
checked against what they lead, two-key closure, sign-in with lockout, single sign-on
mapped to a known user, signed session cookies, and the audit trail."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from helpers import (
    TEST_PASSWORDS,
    read_html_table,
    run_cli,
    sign_in,
    snapshot,
    table_counts,
)
from streamlit.testing.v1 import AppTest

from cjb_tracker import audit, auth, decisions, ingest, presenting, session_store, store
from cjb_tracker.auth import accounts
from cjb_tracker.decisions import Decision
from cjb_tracker.errors import NotAllowed, TrackerError

# Each test runs on a DuckDB file and on PostgreSQL (conftest.py, issue 19).
pytestmark = pytest.mark.both_stores

ROOT = Path(__file__).parents[1]
DASHBOARD = str(ROOT / "dashboard.py")
HEADER = b"recommendation_id,meeting_date,status,rag,update,evidence\n"


@pytest.fixture
def db(accounts_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The fixture database with one test account per role (helpers.add_test_accounts)."""
    return accounts_db


def user(con: duckdb.DuckDBPyConnection, role: str) -> auth.User:
    found = auth.get_user(con, role)
    assert found is not None
    return found


def events(con: duckdb.DuckDBPyConnection, action: str) -> list[tuple[str, str, str]]:
    rows = audit.events(con, action=action)
    return list(zip(rows["actor"], rows["target"].fillna(""), rows["outcome"], strict=True))


# --- Roles, enforced where the data changes --------------------------------------------


def test_a_member_cannot_import_undo_decide_or_manage_users(
    db: duckdb.DuckDBPyConnection,
) -> None:
    member = user(db, "member")
    before = snapshot(db)
    with pytest.raises(NotAllowed, match="A member cannot upload updates"):
        ingest.import_file(db, "updates", "u.csv", HEADER, imported_by=member)
    with pytest.raises(NotAllowed, match="cannot undo an upload"):
        ingest.undo_batch(db, 3, member)
    with pytest.raises(NotAllowed, match="cannot record the Board's decision"):
        decisions.decide(db, member, Decision("RAPE1-R1", "CJB:2021-10-13", True, minute="1"))
    with pytest.raises(NotAllowed, match="cannot manage users"):
        auth.add_user(db, member, "someone", "Some One", "chair", password="x" * 12)
    assert snapshot(db) == before
    assert auth.get_user(db, "someone") is None
    by_member = {(a, o) for a, _, o in events(db, "import") + events(db, "undo") if a == "member"}
    assert by_member == {("member", "refused")}
    assert ("member", "RAPE1-R1", "refused") in events(db, "closure-decision")


def test_a_lead_imports_only_updates(db: duckdb.DuckDBPyConnection) -> None:
    lead = user(db, "lead")
    for kind in ("meetings", "recommendations"):
        with pytest.raises(NotAllowed, match=f"A lead cannot upload {kind}"):
            ingest.import_file(db, kind, "x.csv", b"a\n1\n", imported_by=lead)
    with pytest.raises(NotAllowed):
        ingest.undo_batch(db, 3, lead)


def test_a_leads_mixed_file_is_rejected_naming_the_other_leads_rows(
    db: duckdb.DuckDBPyConnection,
) -> None:
    before = table_counts(db)
    data = HEADER + (
        b"RAPE1-R3,12/01/2022,In progress,Green,Mine.,\n"
        b"RAPE1-R2,12/01/2022,In progress,Green,The ISVA Manager's.,\n"
        b"RAPE1-R4,12/01/2022,In progress,Amber,The CPS lead's.,\n"
    )
    result = ingest.import_file(db, "updates", "mixed.csv", data, imported_by=user(db, "lead"))
    assert result.status == "rejected"
    assert [(p.row, p.column, p.code) for p in result.errors] == [
        (3, "recommendation_id", "permission-error"),
        (4, "recommendation_id", "permission-error"),
    ]
    assert "You do not lead RAPE1-R2 (its lead is ISVA Manager)" in result.errors[0].message
    assert table_counts(db) == before
    assert events(db, "import")[0] == ("lead", "mixed.csv", "rejected")


def test_a_lead_is_told_to_propose_closure_rather_than_mark_complete(
    db: duckdb.DuckDBPyConnection,
) -> None:
    data = HEADER + b"RAPE1-R3,12/01/2022,Complete,,Done.,Audit\n"
    result = ingest.import_file(db, "updates", "c.csv", data, imported_by=user(db, "lead"))
    assert [(p.row, p.column, p.code) for p in result.errors] == [(2, "status", "permission-error")]
    assert "set the status to 'Closure proposed' with the evidence" in result.errors[0].message
    # The chair may (the command line acts as chair).
    assert ingest.import_file(db, "updates", "c.csv", data, imported_by="Chair").status == (
        "committed"
    )


def test_a_closure_proposed_without_evidence_is_rejected(db: duckdb.DuckDBPyConnection) -> None:
    data = HEADER + b"RAPE1-R3,12/01/2022,Closure proposed,Green,Done.,\n"
    result = ingest.import_file(db, "updates", "p.csv", data, imported_by=user(db, "lead"))
    assert [(p.row, p.column, p.code) for p in result.errors] == [
        (2, "evidence", "constraint-error")
    ]


def test_a_lead_may_also_answer_for_recommendations_assigned_by_id(
    db: duckdb.DuckDBPyConnection,
) -> None:
    auth.assign(db, auth.operator("chair"), "lead", rec_ids=("rape1-r2",))
    data = HEADER + b"RAPE1-R2,12/01/2022,In progress,Green,Assigned to me.,\n"
    result = ingest.import_file(db, "updates", "a.csv", data, imported_by=user(db, "lead"))
    assert result.status == "committed", result.errors


# --- Two-key closure ---------------------------------------------------------------------


def propose(db: duckdb.DuckDBPyConnection) -> None:
    data = HEADER + b"RAPE1-R3,12/01/2022,Closure proposed,Green,Done.,Audit report Dec 2021\n"
    result = ingest.import_file(db, "updates", "p.csv", data, imported_by=user(db, "lead"))
    assert result.status == "committed", result.errors


def status_of(db: duckdb.DuckDBPyConnection, rec_id: str) -> str:
    return str(store.scalar(db, "select status from current_status where rec_id = ?", [rec_id]))


def test_the_board_accepts_a_closure_and_the_history_keeps_both_keys(
    db: duckdb.DuckDBPyConnection,
) -> None:
    propose(db)
    assert status_of(db, "RAPE1-R3") == "Closure proposed"
    assert ("lead", "RAPE1-R3", "committed") in events(db, "closure-proposal")
    assert list(decisions.proposed_closures(db)["rec_id"]) == ["RAPE1-R3"]

    decision = Decision("RAPE1-R3", "CJB:2022-01-12", True, minute="CJB/22/01/4")
    decisions.decide(db, user(db, "chair"), decision)
    assert status_of(db, "RAPE1-R3") == "Complete"
    history = store.run_query(db, "recommendation_updates", rec_id="RAPE1-R3")
    assert list(zip(history["kind"], history["status"], strict=True))[:2] == [
        ("decision", "Complete"),
        ("update", "Closure proposed"),
    ]
    assert history["evidence"].iloc[0] == "Minute CJB/22/01/4"
    assert decisions.proposed_closures(db).empty
    assert ("chair", "RAPE1-R3", "accepted") in events(db, "closure-decision")


def test_a_closure_not_accepted_goes_back_to_in_progress_with_the_reason(
    db: duckdb.DuckDBPyConnection,
) -> None:
    propose(db)
    reason = "The audit covered one month only."
    batch = decisions.decide(
        db, user(db, "chair"), Decision("RAPE1-R3", "CJB:2022-01-12", False, reason=reason)
    )
    assert status_of(db, "RAPE1-R3") == "In progress"
    history = store.run_query(db, "recommendation_updates", rec_id="RAPE1-R3")
    assert reason in history["narrative"].iloc[0]
    ingest.undo_batch(db, batch, user(db, "chair"))  # a decision is undone like an upload
    assert status_of(db, "RAPE1-R3") == "Closure proposed"


def test_a_decision_needs_a_proposal_a_minute_or_reason_and_a_meeting_not_before_it(
    db: duckdb.DuckDBPyConnection,
) -> None:
    chair = user(db, "chair")
    with pytest.raises(TrackerError, match="has no closure proposed"):
        decisions.decide(db, chair, Decision("RAPE1-R3", "CJB:2022-01-12", True, minute="4"))
    propose(db)
    with pytest.raises(TrackerError, match="minute reference"):
        decisions.decide(db, chair, Decision("RAPE1-R3", "CJB:2022-01-12", True))
    with pytest.raises(TrackerError, match="the reason"):
        decisions.decide(db, chair, Decision("RAPE1-R3", "CJB:2022-01-12", False))
    with pytest.raises(TrackerError, match="at that meeting or a later one"):
        decisions.decide(db, chair, Decision("RAPE1-R3", "CJB:2021-10-13", True, minute="4"))
    assert status_of(db, "RAPE1-R3") == "Closure proposed"


# --- Signing in --------------------------------------------------------------------------


def test_a_wrong_password_fails_and_is_audited(db: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(NotAllowed, match="username or password is not right"):
        auth.sign_in(db, "member", "not the password")
    with pytest.raises(NotAllowed, match="username or password is not right"):
        auth.sign_in(db, "nobody", "not the password")
    assert auth.sign_in(db, " Member ", TEST_PASSWORDS["member"]).role == "member"
    assert events(db, "sign-in") == [
        ("member", "member", "success"),
        ("nobody", "nobody", "failure"),
        ("member", "member", "failure"),
    ]


def test_a_disabled_user_cannot_sign_in(db: duckdb.DuckDBPyConnection) -> None:
    auth.set_enabled(db, auth.operator("chair"), "lead", False)
    with pytest.raises(NotAllowed):
        auth.sign_in(db, "lead", TEST_PASSWORDS["lead"])
    with pytest.raises(NotAllowed, match="A disabled account cannot upload"):
        ingest.import_file(db, "updates", "u.csv", HEADER, imported_by=user(db, "lead"))


def test_passwords_are_stored_as_salted_bcrypt_hashes(db: duckdb.DuckDBPyConnection) -> None:
    hashes = [h for (h,) in db.execute("select password_hash from users").fetchall()]
    # At the tests' low cost (conftest.py); a hash the command line makes has the
    # production cost, 12 (test_users_are_managed_from_the_command_line).
    cost = f"{accounts.BCRYPT_ROUNDS:02d}"
    assert all(re.fullmatch(rf"\$2b\${cost}\$.{{53}}", h) for h in hashes)
    assert len(set(hashes)) == len(hashes)
    assert not any(p in h for h in hashes for p in TEST_PASSWORDS.values())
    with pytest.raises(TrackerError, match="too short"):
        auth.add_user(db, auth.operator("c"), "shorty", "S", "member", password="short")


# --- In the dashboard (AppTest) --------------------------------------------------------


def page_links(at: AppTest) -> list[str]:
    return [str(link.proto.label) for link in at.get("page_link")]


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("member", ["Overview", "Recommendations", "Meetings", "Overdue", "Outcomes",
                    "Presenting mode", "Accessibility"]),
        ("lead", ["Overview", "Recommendations", "Meetings", "Overdue", "Outcomes",
                  "Presenting mode", "Upload", "Accessibility"]),
        (
            "chair",
            ["Overview", "Recommendations", "Meetings", "Overdue", "Outcomes", "Presenting mode",
             "Upload", "Closure decisions", "Audit trail", "Reminders", "Users", "Accessibility"],
        ),
    ],
)  # fmt: skip
def test_each_role_sees_the_pages_it_may_open(
    dashboard_db: Path, role: str, links: list[str]
) -> None:
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), role).run()
    assert not at.exception
    assert page_links(at) == links


@pytest.mark.parametrize(
    ("role", "page", "refusal"),
    [
        ("member", "pages/5_upload.py", "A member cannot upload updates"),
        ("lead", "pages/6_decisions.py", "A lead cannot record the Board's decision"),
        ("lead", "pages/7_audit.py", "A lead cannot read the audit trail"),
    ],
)
def test_a_page_opened_by_its_url_without_the_role_is_refused(
    dashboard_db: Path, role: str, page: str, refusal: str
) -> None:
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), role)
    at.switch_page(page).run()
    assert not at.exception
    assert any(refusal in e.value for e in at.error)
    assert not at.get("file_uploader") and not at.get("dataframe")


def test_nobody_signed_in_sees_only_the_sign_in_form(dashboard_db: Path) -> None:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.switch_page("pages/2_recommendations.py").run()
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.get("dataframe") and not page_links(at)


def test_an_idle_session_is_signed_out(dashboard_db: Path) -> None:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    long_ago = datetime.now(UTC) - session_store.IDLE_TIMEOUT - timedelta(minutes=1)
    con = store.connect(dashboard_db)
    session = session_store.start(con, "chair", "password", "local", now=long_ago)
    con.close()
    at.session_state[auth.SESSION_KEY] = session
    at.run()
    assert [t.value for t in at.title] == ["Sign in"]
    assert any("session ended" in w.value for w in at.warning)


SSO_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-only",
    "client_id": "tracker",
    "client_secret": "test-only",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}


def sso_session(email: str) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets["auth"] = SSO_SECRETS
    at.user = {"is_logged_in": True, "email": email, "name": "Someone", "iat": int(time.time())}
    return at.run()


def test_single_sign_on_maps_a_known_email_to_its_role(dashboard_db: Path) -> None:
    con = store.connect(dashboard_db)
    auth.add_user(
        con, auth.operator("c"), "j.lead", "J Lead", "lead", email="J.Lead@force.police.uk"
    )
    con.close()
    at = sso_session("j.lead@force.police.uk")
    assert not at.exception
    assert "Upload" in page_links(at) and "Audit trail" not in page_links(at)
    assert any(t.value == "Signed in as J Lead (lead)" for t in at.text)


def test_single_sign_on_refuses_an_unknown_email(dashboard_db: Path) -> None:
    at = sso_session("stranger@example.org")
    assert [t.value for t in at.title] == ["Sign in"]
    assert any("stranger@example.org is not a user of this tracker" in w.value for w in at.warning)
    assert not page_links(at)
    con = store.connect(dashboard_db)
    assert events(con, "sign-in")[0] == ("stranger@example.org", "stranger@example.org", "failure")
    con.close()


def test_the_audit_page_filters_and_downloads_csv(dashboard_db: Path) -> None:
    con = store.connect(dashboard_db)
    with pytest.raises(NotAllowed):
        auth.sign_in(con, "lead", "wrong-password-2")
    con.close()
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), "chair")
    at.switch_page("pages/7_audit.py").run()
    at.selectbox(key="audit_action").set_value("sign-in").run()
    shown = at.get_by_key("table-audit_events").dataframe[0].value
    assert list(shown["outcome"]) == ["failure"] and list(shown["actor"]) == ["lead"]
    csv = at.get("download_button")[0]
    assert csv.proto.label == "Download these events (CSV)"


# --- The trail is append-only; the command line manages users ---------------------------


def test_the_audit_trail_is_read_a_page_at_a_time_with_its_choices_from_a_query(
    dashboard_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presenting, "PAGE_ROWS", 3)
    con = store.connect(dashboard_db)
    every = con.execute("select event_id from audit_events order by event_id desc").fetchall()
    actors = con.execute("select distinct actor from audit_events order by 1").fetchall()
    con.close()
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), "chair")
    at.switch_page("pages/7_audit.py").run()
    shown = at.get_by_key("table-audit_events").dataframe[0].value
    assert list(shown["event_id"]) == [e for (e,) in every[:3]]
    assert f"Events ({len(every)})" in [h.value for h in at.header]
    assert (
        f"Rows 1 to 3 of {len(every)}. Use Previous and Next, or narrow them with the filters "
        "above."
    ) in [c.value for c in at.caption]
    at.button(key="audit_events_next").click().run()
    shown = at.get_by_key("table-audit_events").dataframe[0].value
    assert list(shown["event_id"]) == [e for (e,) in every[3:6]]
    assert list(at.selectbox(key="audit_actor").options) == [a for (a,) in actors]


def test_the_audit_csv_holds_every_event_the_filters_select(db: duckdb.DuckDBPyConnection) -> None:
    for name in ("=cmd|' /c calc'!a1", "nobody"):  # a name a spreadsheet would run
        with pytest.raises(NotAllowed):
            auth.sign_in(db, name, "wrong-password-1")
    found = list(
        csv.DictReader(io.StringIO(audit.events_csv(db, action="sign-in").decode("utf-8-sig")))
    )
    assert [(r["actor"], r["outcome"]) for r in found] == [
        ("nobody", "failure"),
        ("'=cmd|' /c calc'!a1", "failure"),  # neutralised: stays text in Excel
    ]
    assert "total_rows" not in found[0]


def test_no_code_updates_or_deletes_audit_events() -> None:
    changing = re.compile(r"(update\s+audit_events|delete\s+from\s+audit_events|truncate)", re.I)
    sources = [
        *ROOT.glob("cjb_tracker/**/*.py"),
        *ROOT.glob("queries/*.sql"),
        *ROOT.glob("pages/*"),
    ]
    assert [p.name for p in sources if changing.search(p.read_text(encoding="utf-8"))] == []


def test_users_are_managed_from_the_command_line(fixture_db_path: Path) -> None:
    db = ["--db", str(fixture_db_path), "--by", "Secretariat"]
    added = run_cli("user", "add", "ds.patel", "--name", "DS Patel", "--role", "lead",
                "--password-stdin", *db, stdin="a-long-password\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assigned = run_cli("user", "assign", "ds.patel", "--lead", "DS Patel", "--rec", "RAPE1-R4",
                       *db)  # fmt: skip
    assert assigned.returncode == 0, assigned.stderr
    listed = run_cli("user", "list", *db).stdout
    assert "ds.patel\tDS Patel\tlead\t-\tenabled\tDS Patel; RAPE1-R4" in listed
    assert run_cli("user", "disable", "ds.patel", *db).returncode == 0
    assert "\tdisabled\t" in run_cli("user", "list", *db).stdout
    bad = run_cli("user", "add", "x", "--name", "X", "--role", "admin", *db)
    assert bad.returncode == 2 and "invalid choice: 'admin'" in bad.stderr
    short = run_cli("user", "set-password", "ds.patel", "--password-stdin", *db, stdin="short\n")
    assert short.returncode == 1 and "too short" in short.stderr and "Traceback" not in short.stderr
    con = store.connect(fixture_db_path)
    assert [(a, t, o) for a, t, o in events(con, "user")][-1] == (
        "Secretariat",
        "ds.patel",
        "success",
    )
    # The command line hashes at the production cost: the tests' lower cost (conftest.py)
    # stays in the test process.
    stored = con.execute("select password_hash from users where username = 'ds.patel'")
    assert stored.fetchall()[0][0].startswith("$2b$12$")
    con.close()


def test_a_lead_sees_the_other_leads_rows_named_on_the_upload_page(dashboard_db: Path) -> None:
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), "lead")
    at.switch_page("pages/5_upload.py").run()
    assert at.radio(key="kind").options == ["Updates"]  # a lead uploads only updates
    assert at.selectbox(key="template_lead").value == "DS Patel"
    assert "undo_batch" not in [s.key for s in at.selectbox]  # undo is the chair's
    data = HEADER + b"RAPE1-R3,12/01/2022,In progress,Green,Mine.,\n"
    data += b"RAPE1-R4,12/01/2022,In progress,Green,Not mine.,\n"
    at.file_uploader(key="upload_file").set_value(("mixed.csv", data, "text/csv")).run()
    problems, _ = read_html_table(at.get_by_key("table-upload_errors").html[0].value)
    assert list(zip(problems["row"], problems["problem"], strict=True)) == [
        ("3", "permission-error")
    ]
    assert at.button(key="commit").disabled


def test_the_demo_records_the_boards_closure_decisions(
    demo_db: duckdb.DuckDBPyConnection,
) -> None:
    con = demo_db  # seed.init_database(demo=True)
    decided = con.execute(
        "select rec_id, meeting_id, status, evidence from effective_updates"
        " where kind = 'decision' order by rec_id"
    ).fetchall()
    assert decided == [
        ("RAPE1-R2", "CJB:2022-04-13", "Complete", "Minute CJB/2022/04/5"),
        ("RAPE2-R3", "CJB:2025-07-09", "Complete", "Minute CJB/2025/07/4"),
    ]
    assert status_of(con, "RAPE1-R6") == "Closure proposed"  # one still waits for the Board
    assert con.execute(
        "select bool_and(illustrative) from import_batches where kind = 'decision'"
    ).fetchall() == [(True,)]


def test_many_first_sign_ins_at_once_share_one_session_key(tmp_path: Path) -> None:
    # A new database holds its key already; a file without one (the key row gone) gets one
    # made by the first of many sessions asking at the same moment, and every one reads it.
    con = store.connect(tmp_path / "tracker.duckdb")
    store.create_schema(con)
    made = auth.cookie_secret(con)
    assert len(made) == 32
    con.execute("delete from server_secrets")
    start = threading.Barrier(8)
    keys: list[bytes] = []
    failures: list[BaseException] = []

    def sign_in_now() -> None:
        start.wait()
        try:
            keys.append(auth.cookie_secret(con))
        except BaseException as error:  # noqa: BLE001 - any failure fails the test
            failures.append(error)

    threads = [threading.Thread(target=sign_in_now) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(keys) == 8 and len(set(keys)) == 1
    assert con.execute("select count(*) from server_secrets").fetchall() == [(1,)]
