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

from cjb_tracker import auth, presenting, seed, session_routes, session_store, web
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
    """The user this browser session is signed in as, or None. The session is checked
    against its row in the database on every run (session_store.check): one ended anywhere
    (signed out, a new password, a disable, a role change, the chair, the idle or 10-hour
    limit) signs this browser out at once, and a disabled account too."""
    session = st.session_state.get(auth.SESSION_KEY)
    if session is None:
        session = cookie_session()
    if session is None and single_sign_on() and st.user.is_logged_in:
        session = single_sign_on_session()
    if not isinstance(session, session_store.Session):
        return None
    live, why = session_store.check(web.connection(), session.session_id)
    if live is None:
        end_session(why or "Your session has ended. Sign in again.")
        if single_sign_on() and st.user.is_logged_in:
            st.logout()  # Streamlit's own sign-in cookie goes with ours
        return None
    user = auth.get_user(web.connection(), live.username)
    if user is None or not user.enabled:
        end_session("Your account is disabled. Ask the chair or secretariat.")
        return None
    return user


def client() -> str:
    """The client's address as Streamlit sees it (behind the proxy, the address the proxy
    put in X-Forwarded-For: Streamlit believes it from 127.0.0.1 only)."""
    return session_store.client_name(st.context.ip_address)


def cookie_session() -> session_store.Session | None:
    """The session a reload or a new tab carries in its cookie (set by serve.py, HttpOnly).
    A cookie whose session has ended says why once."""
    con = web.connection()
    key = auth.cookie_secret(con)
    session_id = session_store.session_id_from_cookie(key, st.context.cookies.get(auth.COOKIE))
    if session_id is None or st.session_state.get("cookie_refused") == session_id:
        return None
    live, why = session_store.check(con, session_id)
    if live is None:
        st.session_state["cookie_refused"] = session_id  # said once, not on every rerun
        if why:
            st.session_state.setdefault(NOTICE_KEY, why)
        return None
    st.session_state[auth.SESSION_KEY] = live
    return live


def start_session(user: User, how: str = "password") -> None:
    """Signed in: a new session on the server, kept in this browser session and, once the
    page has fetched it from serve.py with a short-lived code, in an HttpOnly cookie."""
    con = web.connection()
    session = session_store.start(con, user.username, how, client())
    st.session_state[auth.SESSION_KEY] = session
    st.session_state["cookie_to_write"] = session_store.handoff_code(
        auth.cookie_secret(con), session.session_id
    )


def write_session_cookie() -> None:
    """Have the page fetch its session cookie from serve.py (or, after signing out, clear
    it), once. The server sets it HttpOnly, so no script can read it afterwards."""
    code = st.session_state.pop("cookie_to_write", None)
    if code is None:
        return
    fetch = (
        f"fetch('{session_routes.SESSION_PATH}', {{method: 'POST', credentials: 'same-origin',"
        f" headers: {{'X-Sign-In-Code': '{code}'}}}})"
        if code
        else f"fetch('{session_routes.SESSION_PATH}', {{method: 'DELETE',"
        " credentials: 'same-origin'})"
    )
    st.html(f"<script>{fetch};</script>", unsafe_allow_javascript=True)


def single_sign_on_session() -> session_store.Session | None:
    """A session for the user the identity provider signed in (st.login). Streamlit's own
    sign-in cookie cannot be ended by the server, so a sign-in it carries from before this
    user's last session ended (signed out, revoked, run out) starts nothing: only a new
    sign-in at the provider does."""
    claimed, issued = st.user.get("email"), st.user.get("iat")
    email = claimed if isinstance(claimed, str) else None
    if st.session_state.get("sso_refused") == (email or ""):
        return None  # refused once this session (and audited): not again on every rerun
    try:
        signed_in_at = int(issued) if isinstance(issued, int | float | str) else None
        user = auth.sign_in_by_email(web.connection(), email, client(), signed_in_at)
    except (NotAllowed, ValueError) as refused:
        st.session_state["sso_refused"] = email or ""
        st.session_state[NOTICE_KEY] = str(refused)
        return None
    start_session(user, "single sign-on")
    session: session_store.Session = st.session_state[auth.SESSION_KEY]
    return session


def end_session(notice: str | None = None) -> None:
    st.session_state.pop(auth.SESSION_KEY, None)
    st.session_state["cookie_to_write"] = ""  # the cookie is cleared in the browser
    if notice:
        st.session_state[NOTICE_KEY] = notice


def sign_out() -> None:
    """End the session on the server (its cookie then signs nobody in, wherever it was
    copied) and, with single sign-on, Streamlit's own sign-in cookie too."""
    session = st.session_state.get(auth.SESSION_KEY)
    if isinstance(session, session_store.Session):
        session_store.end(web.connection(), session.session_id, "signed out")
        st.session_state["cookie_refused"] = session.session_id  # this page's cookie too
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
            user = auth.sign_in(web.connection(), username, password, client())
        except NotAllowed as refused:
            st.error(str(refused))
        else:
            start_session(user)
            st.rerun()
    demo_accounts()


def choose_own_password(user: User) -> None:
    """A user whose password the chair set as a one-time one chooses their own before
    anything else. Saving it ends every session of theirs (a copied one too) and starts a
    new one for this browser."""
    st.title("Choose your password")
    st.text(
        f"Signed in as {user.label}. The chair or secretariat set a one-time password for "
        "you: choose your own (at least 12 characters) to go on."
    )
    with st.form("own_password", enter_to_submit=True):
        st.text_input("One-time password", type="password", key="own_current",
                      autocomplete="current-password")  # fmt: skip
        st.text_input("New password", type="password", key="own_new",
                      autocomplete="new-password")  # fmt: skip
        st.text_input("New password again", type="password", key="own_again",
                      autocomplete="new-password")  # fmt: skip
        st.form_submit_button("Save my password", type="primary", key="own_submit",
                              on_click=save_own_password, args=(user,))  # fmt: skip
    refused = st.session_state.pop("own_refused", None)
    if refused:
        st.error(refused)
    st.button("Sign out", key="sign_out", on_click=sign_out)


def save_own_password(user: User) -> None:
    """The password form's on_click: the new password saved, or why not (said once)."""
    state = st.session_state
    try:
        if state["own_new"] != state["own_again"]:
            raise TrackerError("The two new passwords differ; type the same one twice.")
        auth.change_own_password(web.connection(), user, state["own_current"], state["own_new"])
    except TrackerError as refused:
        state["own_refused"] = str(refused)
        return
    for key in ("own_current", "own_new", "own_again"):
        state[key] = ""
    start_session(user)
    state["password_saved"] = True


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
    elif auth.must_change_password(web.connection(), user.username):
        st.set_page_config(page_title="Choose your password · CJB recommendations tracker")
        choose_own_password(user)
    else:
        # Each page's own title in the browser tab (WCAG 2.4.2).
        st.set_page_config(page_title=f"{page.title} · CJB recommendations tracker")
        sidebar_navigation(user, registered)
        if st.session_state.pop("password_saved", False):
            st.success("Your password is saved; your other sessions have ended.")
        illustrative_banner()
        if page.title in FILTERED_PAGES:
            sidebar_filters()
        web.run_framed(page, user)
except TrackerError as error:  # a domain error reads as its sentence, never a traceback
    st.error(str(error))
except Exception:  # any other error: a plain sentence; Streamlit's reruns are not Exceptions
    LOG.exception("Unexpected error on the page %r", page.title)
    st.error(UNEXPECTED)
