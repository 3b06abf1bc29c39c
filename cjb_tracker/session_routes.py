"""What the dashboard's server adds to Streamlit's own routes (serve.py runs them through
st.App, Streamlit's Starlette server): the session cookie set and cleared by the server,
so it is HttpOnly (no script in the page can read it); the board pack, made for the request
of a live session and audited as it is sent (no copy of it waits anywhere under a URL); and
the guard on /media/, where Streamlit serves other files by URL (the upload templates): only
a request carrying a live session's cookie gets one.

No Streamlit here (Starlette only): serve.py passes in how to reach the database.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

import duckdb
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from cjb_tracker import audit, auth, packs, session_store
from cjb_tracker.errors import NotAllowed, NotFound, TrackerError

SESSION_PATH = "/api/session"
PACK_PATH = "/api/pack"
_MAX_CODE = 512  # a sign-in code is about 150 characters

# The process's connection, brought up to date with what other replicas committed (a
# request may reach this server right after a sign-in on another: web.current_connection).
Connect = Callable[[], duckdb.DuckDBPyConnection]
# The board pack of a meeting in a format, as bytes (web.board_pack: cached until the data
# changes).
BuildPack = Callable[[str, str], bytes]


def routes(connect: Connect, build_pack: BuildPack) -> list[Route]:
    """POST /api/session with a sign-in code: the session's cookie, HttpOnly. DELETE: the
    session named by the cookie ends, and the cookie is cleared. GET /api/pack?meeting=
    CJB:2021-10-13&format=pdf: the board pack, for a live session whose user may export."""

    def session(request: Request) -> Response:
        return _session(connect, request)

    def pack(request: Request) -> Response:
        return _pack(connect, build_pack, request)

    return [
        Route(SESSION_PATH, session, methods=["POST", "DELETE"]),
        Route(PACK_PATH, pack, methods=["GET"]),
    ]


def pack_url(meeting_id: str, fmt: str) -> str:
    return f"{PACK_PATH}?{urlencode({'meeting': meeting_id, 'format': fmt})}"


def _pack(connect: Connect, build_pack: BuildPack, request: Request) -> Response:
    con = connect()
    user = _signed_in_user(con, request)
    if user is None:
        return PlainTextResponse("Sign in to the tracker first.", status_code=403)
    fmt = request.query_params.get("format", "")
    try:
        auth.require(user, "export")
        if fmt not in packs.FORMATS:
            raise TrackerError(f"There is no board pack as '{fmt[:10]}'.")
        meeting_id = packs.meeting_id_of(request.query_params.get("meeting", "")[:40])
        data = build_pack(meeting_id, fmt)
    except NotAllowed as refused:
        return PlainTextResponse(str(refused), status_code=403)
    except NotFound as missing:
        return PlainTextResponse(str(missing), status_code=404)
    except TrackerError as wrong:
        return PlainTextResponse(str(wrong), status_code=400)
    audit.record_alone(con, user.username, "export", meeting_id, "success", f"board pack ({fmt})")
    name = packs.file_name(meeting_id, fmt)
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",  # never kept by the browser or a proxy
    }
    return Response(data, media_type=packs.MEDIA_TYPES[fmt], headers=headers)


def _signed_in_user(con: duckdb.DuckDBPyConnection, request: Request) -> auth.User | None:
    """The enabled user whose live session the request's cookie carries (a use of it)."""
    key = auth.cookie_secret(con)
    session_id = session_store.session_id_from_cookie(key, request.cookies.get(auth.COOKIE))
    if session_id is None:
        return None
    session, _ = session_store.check(con, session_id)
    user = auth.get_user(con, session.username) if session else None
    return user if user is not None and user.enabled else None


def _session(connect: Connect, request: Request) -> Response:
    if not _same_origin(request):
        return PlainTextResponse("Refused: not from the tracker's own page.", status_code=403)
    con = connect()
    key = auth.cookie_secret(con)
    if request.method == "DELETE":
        session_id = session_store.session_id_from_cookie(key, request.cookies.get(auth.COOKIE))
        if session_id:
            session_store.end(con, session_id, "signed out")
        response = Response(status_code=204)
        response.delete_cookie(auth.COOKIE, path="/", httponly=True, samesite="strict")
        return response
    return _set_cookie(con, key, request)


def _set_cookie(con: duckdb.DuckDBPyConnection, key: bytes, request: Request) -> Response:
    code = request.headers.get("x-sign-in-code", "")[:_MAX_CODE]
    session_id = session_store.session_id_from_handoff(key, code)
    if session_id is None or not session_store.peek(con, session_id):
        return PlainTextResponse("Refused: the sign-in code has run out.", status_code=403)
    response = Response(status_code=204)
    response.set_cookie(
        auth.COOKIE,
        session_store.cookie_value(key, session_id),
        max_age=int(session_store.SESSION_LIMIT.total_seconds()),
        path="/",
        secure=_https(request),
        httponly=True,
        samesite="strict",
    )
    return response


def _same_origin(request: Request) -> bool:
    """Only the tracker's own page may set or clear the cookie: a browser says where a
    request comes from (Sec-Fetch-Site, Origin), and a page elsewhere cannot forge either."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


def _https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


class MediaGuard:
    """Refuses /media/ (Streamlit's files by URL: a prepared board pack, a template) to a
    request without a live session's cookie: a copied URL alone, or a cookie whose session
    has ended (signed out, idle, ended by the chair), gets 403."""

    def __init__(self, app: ASGIApp, connect: Connect) -> None:
        self.app = app
        self.connect = connect

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        guarded = scope["type"] == "http" and scope["path"].startswith("/media/")
        if guarded and not await run_in_threadpool(self._signed_in, Request(scope)):
            refused = PlainTextResponse("Sign in to the tracker first.", status_code=403)
            await refused(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _signed_in(self, request: Request) -> bool:
        con = self.connect()
        key = auth.cookie_secret(con)
        session_id = session_store.session_id_from_cookie(key, request.cookies.get(auth.COOKIE))
        return session_id is not None and session_store.peek(con, session_id)
