"""The documented proxy (deploy/cjb-tracker-proxy.conf, issue 21) in front of a real
dashboard: the tracker's answers cannot be framed and send no referrer, Streamlit's metrics
are not reachable through it, and the dashboard works through it (websocket included)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser.browserkit import TIMEOUT_MS, screenshot, settle, sign_in
from browser.proxykit import running_proxy


@pytest.fixture(scope="module")
def proxy(writable_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx in front of a dashboard of this module's own: a test here fails a sign-in,
    which the shared server's readers should not see."""
    with running_proxy(tmp_path_factory.mktemp("nginx"), writable_server) as url:
        yield url


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as refused:
        return refused.code, {k.lower(): v for k, v in refused.headers.items()}


SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}


def test_every_answer_through_the_proxy_forbids_framing_and_referrers(
    writable_server: str, proxy: str
) -> None:
    for path in ("/", "/overview", "/_stcore/health", "/no-such-page"):
        status, headers = fetch(proxy + path)
        assert status == 200, path
        assert {k: headers.get(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS, path
    # Streamlit itself sets none of them: the proxy is what protects the deployment.
    assert "x-frame-options" not in fetch(writable_server + "/")[1]


def test_streamlits_metrics_are_not_served_through_the_proxy(
    writable_server: str, proxy: str
) -> None:
    assert fetch(writable_server + "/_stcore/metrics")[0] == 200  # there, on the machine itself
    for path in ("/_stcore/metrics", "/_stcore/metrics?x=1", "/_stcore/metrics/"):
        status, headers = fetch(proxy + path)
        assert status == 403, path
        assert headers.get("x-frame-options") == "DENY"


def test_the_dashboard_works_through_the_proxy(proxy: str, tab: Any) -> None:
    sign_in(tab, proxy, "chair", "meetings")  # the websocket runs through nginx
    tab.get_by_role("heading", name="Meetings", exact=True).wait_for()
    settle(tab)
    assert tab.get_by_text(re.compile(r"^Signed in as Test Chair")).is_visible()
    screenshot(tab, "proxy-meetings")


def test_a_page_of_another_site_cannot_frame_the_tracker(
    proxy: str, tab: Any, tmp_path: Path
) -> None:
    framing = tmp_path / "framing.html"
    framing.write_text(f'<iframe id="t" src="{proxy}/" width="800" height="600"></iframe>')

    def refused(message: Any) -> bool:
        return "frame-ancestors" in message.text or "X-Frame-Options" in message.text

    with tab.expect_event("console", predicate=refused):  # the browser says it refused
        tab.goto(framing.as_uri())
    frame = tab.frame_locator("#t")
    assert frame.get_by_role("heading", name="Sign in").count() == 0


def test_a_client_cannot_choose_the_address_the_tracker_sees_through_the_proxy(
    proxy: str, chromium: Any
) -> None:
    """The sign-in throttle counts by client: behind the proxy, the client is the address
    the proxy saw (it replaces any X-Forwarded-For the client sent), so a stranger cannot
    pose as the chair's computer, nor dodge the throttle by naming a new address each time."""
    spoofing = chromium.new_context(extra_http_headers={"X-Forwarded-For": "198.51.100.99"})
    try:
        tab = spoofing.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(proxy)
        tab.get_by_label("Username", exact=True).fill("member")
        tab.get_by_label("Password", exact=True).fill("not-the-password-at-all")
        tab.get_by_role("button", name="Sign in", exact=True).click()
        tab.get_by_text("The username or password is not right").wait_for()
    finally:
        spoofing.close()
    chair = chromium.new_context(viewport={"width": 1400, "height": 2000})
    try:
        tab = chair.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        sign_in(tab, proxy, "chair", "audit")
        tab.get_by_role("heading", name="Audit trail").wait_for()
        settle(tab)
        cells = tab.locator('[data-testid="stDataFrame"] td').all_inner_texts()
        # nginx on 127.0.0.1 saw the client as 127.0.0.1, which Streamlit reports as local.
        assert "wrong password; client local" in cells
        assert not any("198.51.100.99" in cell for cell in cells)
    finally:
        chair.close()
