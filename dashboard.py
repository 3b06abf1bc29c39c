"""The dashboard's entry: page set-up, sign-in, the navigation the user's role allows, the
illustrative-data banner and the shared filters. Run with `make run` (streamlit run
dashboard.py).

Who is signed in is kept in the browser session (auth.SESSION_KEY) and, across a reload or
a new tab, in a signed cookie; it is checked against the database on every run. The page
then runs framed by this script (web.run_framed), which tells it the user and the filters.
"""

from __future__ import annotations

import streamlit as st
from streamlit.logger import get_logger

from cjb_tracker import auth, presenting, seed, web
from cjb_tracker.auth import User
from cjb_tracker.errors import NotAllowed, TrackerError

NOTICE_KEY = "sign_in_notice"
# An error no code of ours expected: this sentence on the page, the details (what failed,
# the traceback) in the server's log only (BAD-INPUTS.md item 33).
LOG = get_logger("cjb_tracker.dashboard")
UNEXPECTED = (
    "Something went wrong while showing this page. Try again in a moment; if it happens "
    "again, tell the Board secretariat which page it was and when. The details are in the "
    "server's log."
)

# Pages that read the shared filters; the others do not.
FILTERED_PAGES = frozenset({"Overview", "Recommendations", "Meetings", "Overdue", "Outcomes"})


# --- Who is signed in -----------------------------------------------------------------


def single_sign_on() -> bool:
    """Whether an identity provider is configured ([auth] in .streamlit/secrets.toml)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def signed_in_user() -> User | None:
    """The user this browser session is signed in as, checked against the database on
    every run (a disabled account is signed out at once), or None."""
    session = st.session_state.get(auth.SESSION_KEY)
    if session is None and not st.session_state.get("signed_out"):
        session = cookie_session()
    if session is None and single_sign_on() and st.user.is_logged_in:
        session = single_sign_on_session()
    if not isinstance(session, auth.Session):
        return None
    if session.expired():
        end_session("Your session ended after a time without use. Sign in again.")
        return None
    user = auth.get_user(web.connection(), session.username)
    if user is None or not user.enabled:
        end_session("Your account is disabled. Ask the chair or secretariat.")
        return None
    session.touch()
    return user


def cookie_session() -> auth.Session | None:
    """The session a reload or a new tab carries in its signed cookie."""
    token = st.context.cookies.get(auth.COOKIE)
    if not token:
        return None
    session = auth.session_from_token(auth.cookie_secret(web.connection()), token)
    if session is not None:
        st.session_state[auth.SESSION_KEY] = session
    return session


def start_session(user: User) -> None:
    """Signed in: remember it in this browser session and, by a signed cookie, in the
    browser (written by write_session_cookie on the next run)."""
    session = auth.Session(user.username)
    st.session_state[auth.SESSION_KEY] = session
    st.session_state.pop("signed_out", None)
    st.session_state["cookie_to_write"] = auth.session_token(
        auth.cookie_secret(web.connection()), session
    )


def write_session_cookie() -> None:
    """Write (or, after signing out, clear) the session cookie in the browser, once."""
    token = st.session_state.pop("cookie_to_write", None)
    if token is None:
        return
    age = int(auth.SESSION_LIMIT.total_seconds()) if token else 0
    st.html(
        "<script>document.cookie = "
        f"'{auth.COOKIE}={token}; path=/; max-age={age}; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def single_sign_on_session() -> auth.Session | None:
    claimed = st.user.get("email")
    email = claimed if isinstance(claimed, str) else None
    if st.session_state.get("sso_refused") == (email or ""):
        return None  # refused once this session (and audited): not again on every rerun
    try:
        user = auth.sign_in_by_email(web.connection(), email)
    except NotAllowed as refused:
        st.session_state["sso_refused"] = email or ""
        st.session_state[NOTICE_KEY] = str(refused)
        return None
    start_session(user)
    session: auth.Session = st.session_state[auth.SESSION_KEY]
    return session


def end_session(notice: str | None = None) -> None:
    st.session_state.pop(auth.SESSION_KEY, None)
    st.session_state["signed_out"] = True  # the cookie this session opened with no longer counts
    st.session_state["cookie_to_write"] = ""  # and is cleared in the browser
    if notice:
        st.session_state[NOTICE_KEY] = notice


def sign_out() -> None:
    """Forget the session (and the identity provider's, with single sign-on)."""
    end_session("You are signed out.")
    if single_sign_on() and st.user.is_logged_in:
        st.logout()


def sign_in_page() -> None:
    """The only thing shown until someone signs in. The URL is kept, so a shared link opens
    its page after signing in."""
    web.connection()  # a database that cannot be opened is said plainly, not under a dead form
    st.title("Sign in")
    st.text("The tracker holds OFFICIAL information: sign in to see it.")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.warning(notice)
    if single_sign_on():
        if st.user.is_logged_in:
            st.button("Sign out of your organisation account", on_click=st.logout)
        else:
            st.button("Sign in with your organisation account", type="primary", on_click=st.login)
        st.subheader("Or with a tracker account")
    with st.form("sign_in", enter_to_submit=True):
        username = st.text_input("Username", key="sign_in_username", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="sign_in_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            user = auth.sign_in(web.connection(), username, password)
        except NotAllowed as refused:
            st.error(str(refused))
        else:
            start_session(user)
            st.rerun()
    demo_accounts()


def demo_accounts() -> None:
    demo = [u for u in auth.list_users(web.connection()) if u.illustrative and u.enabled]
    if demo:
        st.info(
            "**Demo accounts (illustrative data only; a real installation has none):**\n\n"
            + "\n".join(
                f"- {u.role}: username `{u.username}`, password `{seed.DEMO_PASSWORDS[u.role]}`"
                for u in demo
                if u.role in seed.DEMO_PASSWORDS
            )
        )


# --- The frame around every page ------------------------------------------------------


def sidebar_navigation(user: User, registered: list[st.Page]) -> None:
    """The links to the pages this user may open, then who they are. (The pages registered
    this run are linked, not new ones: making a page resolves its script's path.)"""
    with st.sidebar:
        for linked in web.visible_pages(user, registered):
            st.page_link(linked)
        st.text(f"Signed in as {user.label}")
        st.button("Sign out", key="sign_out", on_click=sign_out)


def illustrative_banner() -> None:
    """Say plainly when what is shown includes made-up demo data."""
    found = web.query("illustrative_batches")
    if len(found) and int(found["batches"].iloc[0]):
        st.warning(
            "This database holds **illustrative demo data**: meetings, leads, dates, "
            "updates and outcome measures' figures beyond the source letter are invented to "
            "show how the tracker works.",
            icon="⚠️",
        )


def sidebar_filters() -> None:
    """The shared filters in the sidebar, each bound to the URL so a view can be shared
    (the page reads them with web.current_filters)."""
    offered = web.filter_choices()
    with st.sidebar:
        st.header("Filters")
        for key in web.FILTER_KEYS:
            st.selectbox(
                key.capitalize(),
                offered.get(key, []),
                index=None,
                key=key,
                placeholder="All",
                bind="query-params",
            )
        st.date_input(
            "As at",
            value=presenting.london_today(),
            key="as_at",
            format="DD/MM/YYYY",
            bind="query-params",
            help="Every number respects this date.",
        )


st.set_page_config(page_title="CJB recommendations tracker", page_icon="📋", layout="wide")

# Every page is registered (so a page the role may not open answers with a refusal); the
# sidebar lists only the pages the signed-in user may open.
registered = web.pages()
page = st.navigation(registered, position="hidden")
try:
    web.keep_up()  # several replicas (PostgreSQL): what the others committed, first
    user = signed_in_user()
    write_session_cookie()
    if user is None:
        st.set_page_config(page_title="Sign in · CJB recommendations tracker")
        sign_in_page()
    else:
        # Each page's own title in the browser tab (WCAG 2.4.2).
        st.set_page_config(page_title=f"{page.title} · CJB recommendations tracker")
        sidebar_navigation(user, registered)
        illustrative_banner()
        if page.title in FILTERED_PAGES:
            sidebar_filters()
        web.run_framed(page, user)
except TrackerError as error:  # a domain error reads as its sentence, never a traceback
    st.error(str(error))
except Exception:  # any other error: a plain sentence; Streamlit's reruns are not Exceptions
    LOG.exception("Unexpected error on the page %r", page.title)
    st.error(UNEXPECTED)
