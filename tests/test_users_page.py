"""The chair's Users page (issue 21): users managed while the dashboard holds the database,
each change audited, and a one-time password the user is made to change."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import TEST_PASSWORDS, sign_in
from streamlit.testing.v1 import AppTest

from cjb_tracker import audit, auth, session_store, store

DASHBOARD = str(Path(__file__).parents[1] / "dashboard.py")


def users_page(role: str = "chair") -> AppTest:
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), role)
    at.switch_page("pages/10_users.py")
    return at.run()


def choose(at: AppTest, username: str) -> AppTest:
    at.selectbox(key="users_chosen").select(username)
    return at.run()


def said(at: AppTest) -> list[str]:
    return [m.value for m in at.success] + [m.value for m in at.error]


def user_events(db: Path) -> list[tuple[str, str, str]]:
    con = store.connect(db)
    try:
        rows = audit.events(con, action="user")
        return list(zip(rows["actor"], rows["target"], rows["detail"], strict=True))
    finally:
        con.close()


def test_the_users_page_is_the_chairs(dashboard_db: Path) -> None:
    at = users_page("lead")
    assert any("A lead cannot manage users" in e.value for e in at.error)
    assert not at.get("dataframe")
    at = users_page()
    assert not at.exception, [e.value for e in at.exception]
    listed = at.get_by_key("table-users").dataframe[0].value
    assert list(listed["username"]) == ["chair", "lead", "member"]


def test_the_chair_adds_a_user_with_a_one_time_password(dashboard_db: Path) -> None:
    at = users_page()
    at.text_input(key="new_username").input("j.smith")
    at.text_input(key="new_name").input("J Smith")
    at.selectbox(key="new_role").select("lead")
    at.text_input(key="new_email").input("j.smith@cps.gov.uk")
    at.text_input(key="new_password").input("first-password-1")
    at.button(key="users_add_submit").click().run()
    assert "Added j.smith as lead." in said(at)
    con = store.connect(dashboard_db)
    try:
        assert auth.must_change_password(con, "j.smith")
    finally:
        con.close()
    listed = at.get_by_key("table-users").dataframe[0].value.set_index("username")
    assert bool(listed.loc["j.smith", "must_change_password"])
    assert not bool(listed.loc["chair", "must_change_password"])
    assert user_events(dashboard_db)[0] == (
        "chair", "j.smith", "added as lead with a one-time password",
    )  # fmt: skip


def test_bad_input_is_said_plainly_and_changes_nothing(dashboard_db: Path) -> None:
    at = users_page()
    at.text_input(key="new_username").input("Not A Name!")
    at.text_input(key="new_name").input("Someone")
    at.text_input(key="new_password").input("first-password-1")
    at.button(key="users_add_submit").click().run()
    assert any("'Not A Name!' cannot be a username" in m for m in said(at))
    choose(at, "lead")
    at.text_input(key="users_one_time").input("short")
    at.button(key="users_password_submit").click().run()
    assert any("The password is too short" in m for m in said(at))
    assert not at.exception
    assert [e for e in user_events(dashboard_db) if e[0] == "chair"] == []  # nothing changed


@pytest.mark.parametrize(
    ("act", "detail"),
    [
        (lambda at: at.button(key="users_set_role").click(), "role set to member"),
        (lambda at: at.button(key="users_switch").click(), "disabled"),
        (lambda at: at.button(key="users_end_sessions").click(), "session(s) ended"),
        (
            lambda at: (
                at.text_input(key="users_one_time").input("one-time-password-2"),
                at.button(key="users_password_submit").click(),
            ),
            "one-time password set",
        ),
    ],
    ids=["role", "disable", "end sessions", "one-time password"],
)  # fmt: skip
def test_each_change_ends_the_users_sessions_and_is_audited(
    dashboard_db: Path, act: object, detail: str
) -> None:
    con = store.connect(dashboard_db)
    lead = session_store.start(con, "lead", "password", "203.0.113.5")
    con.close()
    at = choose(users_page(), "lead")
    at.selectbox(key="users_role").select("member")
    act(at)  # type: ignore[operator]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success, said(at)
    con = store.connect(dashboard_db)
    try:
        assert session_store.check(con, lead.session_id)[0] is None
    finally:
        con.close()
    actor, target, recorded = user_events(dashboard_db)[0]
    assert (actor, target) == ("chair", "lead") and detail in recorded
    assert "1 session(s) ended" in recorded


def test_the_chair_assigns_recommendations_to_a_lead(dashboard_db: Path) -> None:
    at = choose(users_page(), "lead")
    at.text_input(key="users_leads").input("DS Patel")
    at.text_input(key="users_recs").input("rape1-r2, RAPE1-R4")
    at.button(key="users_assign_submit").click().run()
    assert "lead now answers for: DS Patel; RAPE1-R2; RAPE1-R4." in said(at)
    con = store.connect(dashboard_db)
    try:
        assert auth.get_user(con, "lead").rec_ids == ("RAPE1-R2", "RAPE1-R4")  # type: ignore[union-attr]
    finally:
        con.close()


def test_a_user_with_a_one_time_password_must_choose_their_own_first(dashboard_db: Path) -> None:
    con = store.connect(dashboard_db)
    auth.set_password(con, auth.operator("chair"), "lead", "one-time-password-3", one_time=True)
    con.close()
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), "lead")
    at.switch_page("pages/5_upload.py").run()
    assert [t.value for t in at.title] == ["Choose your password"]  # not the page asked for
    at.text_input(key="own_current").input("one-time-password-3")
    at.text_input(key="own_new").input("my-own-password-3")
    at.text_input(key="own_again").input("my-own-password-X")
    at.button(key="own_submit").click().run()
    assert any("The two new passwords differ" in e.value for e in at.error)
    at.text_input(key="own_again").input("my-own-password-3")
    at.button(key="own_submit").click().run()
    assert [t.value for t in at.title] == ["Upload"]
    assert any("Your password is saved" in s.value for s in at.success)
    con = store.connect(dashboard_db)
    try:
        assert not auth.must_change_password(con, "lead")
        assert auth.sign_in(con, "lead", "my-own-password-3").username == "lead"
        with pytest.raises(Exception, match="not right"):
            auth.sign_in(con, "lead", TEST_PASSWORDS["lead"])
    finally:
        con.close()
