"""Single sign-on for real (issue 21): st.login against a real OpenID Connect provider
(PyPI's oidc-provider-mock, on 127.0.0.1 over plain http) in chromium, with [auth] in a
secrets file as the README says. A known email signs in with its user's role; an unknown
or disabled one is refused and audited; signing out ends both the tracker's session and
Streamlit's sign-in; a copied cookie of either does not sign anyone in again."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import TEST_PASSWORDS, copy_of
from oidc_provider_mock import User, run_server_in_thread

from browser.browserkit import (
    TIMEOUT_MS,
    dashboard_process,
    free_port,
    screenshot,
    session_cookie,
    settle,
)
from cjb_tracker import auth, store

KNOWN = "j.lead@force.police.uk"
DISABLED = "gone@force.police.uk"
STRANGER = "stranger@example.org"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The identity provider: anyone may sign in as any subject (the email)."""
    users = [User(sub=e, claims={"email": e}) for e in (KNOWN, DISABLED, STRANGER)]
    with run_server_in_thread(free_port(), user_claims=users) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def sso(
    provider: str, _dashboard_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """The dashboard with single sign-on set up; yields its URL and database."""
    folder = tmp_path_factory.mktemp("sso")
    db = copy_of(_dashboard_template, folder)
    con = store.connect(db)
    chair = auth.operator("test set-up")
    auth.add_user(con, chair, "j.lead", "J Lead", "lead", email=KNOWN)
    auth.add_user(con, chair, "gone", "Gone Away", "member", email=DISABLED)
    auth.set_enabled(con, chair, "gone", False)
    con.close()
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a test-only cookie secret, long and random enough"\n'
        'client_id = "cjb-tracker"\n'
        'client_secret = "test-only"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {"STREAMLIT_SECRETS_FILES": str(secrets)}
    with dashboard_process(db, env=env, port=port) as (url, _):
        yield url, db


def through_the_provider(tab: Any, url: str, email: str) -> None:
    """Open the tracker and sign in with the organisation account as `email`."""
    tab.goto(url)
    tab.get_by_role("button", name="Sign in with your organisation account").click()
    tab.get_by_role("button", name=email, exact=True).click()  # the provider's form
    tab.wait_for_url(re.compile(re.escape(url)))
    tab.locator("h1").first.wait_for()
    settle(tab)


def test_a_known_email_signs_in_with_its_users_role(sso: tuple[str, Path], tab: Any) -> None:
    url, _ = sso
    through_the_provider(tab, url, KNOWN)
    tab.get_by_text("Signed in as J Lead (lead)").wait_for()
    links = tab.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]').all_inner_texts()
    assert "Upload" in links and "Audit trail" not in links
    assert session_cookie(tab)["httpOnly"]  # (once the page has fetched it from the server)
    screenshot(tab, "sso-signed-in")


@pytest.mark.parametrize(
    ("email", "said"),
    [
        (STRANGER, f"{STRANGER} is not a user of this tracker"),
        (DISABLED, f"The account for {DISABLED} is disabled"),
    ],
)
def test_an_unknown_or_disabled_email_is_refused(
    sso: tuple[str, Path], tab: Any, email: str, said: str
) -> None:
    url, _ = sso
    through_the_provider(tab, url, email)
    tab.get_by_text(said).wait_for()
    assert tab.get_by_text(re.compile(r"^Signed in as ")).count() == 0
    assert not any(c["name"] == "cjb_tracker_session" for c in tab.context.cookies())
    screenshot(tab, f"sso-refused-{email.split('@')[0]}")


def test_signing_out_ends_both_sessions_and_copies_of_their_cookies(
    sso: tuple[str, Path], tab: Any, chromium: Any
) -> None:
    url, _ = sso
    through_the_provider(tab, url, KNOWN)
    tab.get_by_text("Signed in as J Lead (lead)").wait_for()
    session_cookie(tab)  # the page fetches the tracker's cookie from the server just after
    copied = [dict(c) for c in tab.context.cookies()]
    assert {"cjb_tracker_session", "_streamlit_user"} <= {c["name"] for c in copied}
    tab.get_by_role("button", name="Sign out").click()
    # Streamlit sends the browser to the provider to end its session there too (OpenID
    # Connect RP-initiated logout); the provider asks, then sends it back.
    tab.get_by_role("heading", name="End Session").wait_for()
    screenshot(tab, "sso-provider-ends-session")
    tab.get_by_role("button", name="End session").click()
    tab.get_by_role("button", name="Sign in with your organisation account").wait_for()
    settle(tab)
    names = {c["name"] for c in tab.context.cookies()}
    assert "_streamlit_user" not in names  # Streamlit's own sign-in is gone too
    tab.goto(url)
    tab.get_by_role("heading", name="Sign in", exact=True).wait_for()

    # Both cookies copied before signing out, replayed in another browser: nobody.
    thief = chromium.new_context()
    try:
        thief.add_cookies([{k: c[k] for k in ("name", "value", "domain", "path")} for c in copied])
        page = thief.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.locator("h1").first.wait_for()
        settle(page)
        assert page.get_by_text(re.compile(r"^Signed in as ")).count() == 0
        screenshot(page, "sso-replayed-after-sign-out")
    finally:
        thief.close()


def test_every_single_sign_on_attempt_is_audited(sso: tuple[str, Path], tab: Any) -> None:
    url, _ = sso
    through_the_provider(tab, url, STRANGER)
    tab.get_by_text(f"{STRANGER} is not a user of this tracker").wait_for()
    # The dashboard holds the file: read the audit trail on its page, as the chair.
    tab.context.clear_cookies()
    tab.goto(url + "/audit")
    tab.get_by_label("Username", exact=True).fill("chair")
    tab.get_by_label("Password", exact=True).fill(TEST_PASSWORDS["chair"])
    tab.get_by_role("button", name="Sign in", exact=True).click()
    tab.get_by_role("heading", name="Audit trail").wait_for()
    settle(tab)
    cells = tab.locator('[data-testid="stDataFrame"] td').all_inner_texts()
    assert STRANGER in cells and "failure" in cells
    assert any(c.startswith("single sign-on; client ") and STRANGER in c for c in cells)
    assert any(c == "single sign-on; client local" for c in cells)  # J Lead's success
