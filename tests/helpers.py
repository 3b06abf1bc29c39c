"""Small helpers the tests share."""

from __future__ import annotations

from typing import Any

import duckdb

from cjb_tracker import auth

# The test accounts (add_test_accounts): username = role. The lead leads DS Patel's
# recommendations in tests/data/leads.csv (RAPE1-R1 and RAPE1-R3).
TEST_PASSWORDS = {
    "chair": "chair-test-password",
    "lead": "lead-test-password",
    "member": "member-test-password",
}
TEST_LEAD_NAME = "DS Patel"


def add_test_accounts(con: duckdb.DuckDBPyConnection) -> None:
    """One account per role, added the way the chair adds them."""
    chair = auth.operator("test set-up")
    for role, password in TEST_PASSWORDS.items():
        auth.add_user(
            con,
            chair,
            role,
            f"Test {role.capitalize()}",
            role,
            password=password,
            lead_names=(TEST_LEAD_NAME,) if role == "lead" else (),
        )


def sign_in(at: Any, role: str = "chair") -> Any:
    """Start an AppTest session signed in as the test account of this role (the session
    the sign-in page would have made); the account must be in the database."""
    at.session_state[auth.SESSION_KEY] = auth.Session(role)
    return at


TABLES = (
    "bodies",
    "report_records",
    "recommendation_records",
    "addressee_records",
    "meeting_records",
    "updates",
    # Derived from the records, so a rejected file must leave them alone too.
    "current_recommendations",
    "positions",
    "reported_to",
)


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every data table (not import_batches, which records rejections too)."""
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    """Every row that the views show, for exact before/after comparisons."""
    views = {
        "current_status": "select * exclude (as_at) from current_status order by rec_id",
        "recommendations": "select * from recommendations order by rec_id",
        "addressees": "select * from recommendation_addressees order by rec_id, position",
        "meetings": "select * from meetings order by meeting_id",
        "effective_updates": "select * from effective_updates order by update_id",
        "reports": "select * from reports order by report_code",
    }
    return {name: con.execute(sql).fetchall() for name, sql in views.items()}
