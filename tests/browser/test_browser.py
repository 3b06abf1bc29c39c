"""What only a browser shows: a real `streamlit run` on a temporary database, driven by
Playwright with Debian's chromium (fixtures in conftest.py, tools in browserkit.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_of

from browser.browserkit import (
    NAVIGATION,
    TIMEOUT_MS,
    running_dashboard,
    screenshot,
    settle,
    sign_in,
)
from cjb_tracker import ingest, store

GOOD_UPDATE = (
    b"recommendation_id,meeting_date,status,rag,update,evidence,reported_by\n"
    b"RAPE1-R3,12/01/2022,Complete,,Withdrawal reasons now recorded.,Audit Jan 2022,DS Patel\n"
)


def test_a_shared_url_reopens_the_same_view(writable_server: str, tab: Any) -> None:
    # The first test of the module's own server on purpose: the first visit after the
    # server starts opens a page URL, which Streamlit would run without dashboard.py
    # (web.require_dashboard). Signing in keeps the URL, so the shared view opens once
    # signed in. (It writes nothing.)
    server = writable_server
    sign_in(tab, server, "member", "recommendations?rec=RAPE1-R4")
    tab.get_by_role("heading", name=re.compile("^RAPE1-R4: ")).wait_for()
    settle(tab)
    body = tab.inner_text("body")
    assert "Total days slipped against the original due date: 90" in body
    assert "Filters" in body  # framed by dashboard.py: the sidebar filters are there
    screenshot(tab, "2-recommendation-detail")

    tab.goto(f"{server}/?lead=DS+Patel&as_at=2021-10-01")
    tab.get_by_role("heading", name="Overview").wait_for()
    settle(tab)
    assert "As at 1 Oct 2021 · lead: DS Patel" in tab.inner_text("body")


def test_overview_charts_render(server: str, tab: Any) -> None:
    sign_in(tab, server, "member")
    tab.get_by_role("heading", name="Overview").wait_for()
    tab.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3"
    )  # noqa: E501
    settle(tab)
    charts = tab.locator(".js-plotly-plot")
    assert charts.count() == 3
    body = tab.inner_text("body")
    for title in ("Status as at each meeting", "Status by addressee", "Delivery confidence"):
        assert title in body
    assert "Awaiting national action" in body  # the word, not colour alone
    screenshot(tab, "1-overview")


def test_every_page_renders(server: str, tab: Any) -> None:
    # Signed in on the lightest page; the cookie carries the session to each page opened.
    sign_in(tab, server, "chair", "accessibility")
    for path, heading, name in [
        ("recommendations", "Recommendations", "2-recommendations"),
        ("meetings?meeting=CJB:2021-10-13", "Meetings", "3-meetings"),
        ("overdue", "Overdue", "4-overdue"),
        ("outcomes", "Outcomes", "4b-outcomes"),
        ("upload", "Upload", "5-upload"),
        ("decisions", "Closure decisions", "6-decisions"),
        ("audit", "Audit trail", "7-audit"),
        ("reminders", "Reminders", "8-reminders"),
    ]:
        tab.goto(f"{server}/{path}")
        tab.get_by_role("heading", name=heading, exact=True).wait_for()
        settle(tab)
        assert "Traceback" not in tab.inner_text("body")
        assert tab.title() == f"{heading} · CJB recommendations tracker"  # WCAG 2.4.2
        screenshot(tab, name)


def test_a_recommendation_link_opens_its_detail(server: str, tab: Any) -> None:
    sign_in(tab, server, "member", "overdue")
    tab.get_by_role("heading", name="Overdue", exact=True).wait_for()
    settle(tab)
    first_link = tab.locator(".st-key-table-overdue_table td a").first
    with tab.context.expect_page() as opened:
        first_link.click()
    detail = opened.value
    detail.get_by_role("heading", name=re.compile(r"^RAPE1-R\d+: ")).wait_for()
    assert "rec=RAPE1-R" in detail.url


def test_a_file_is_uploaded_and_committed_through_the_page(
    writable_server: str, tab: Any, tmp_path: Path
) -> None:
    server = writable_server  # it commits an update: not on the shared server
    upload = tmp_path / "january.csv"
    upload.write_bytes(GOOD_UPDATE)
    sign_in(tab, server, "chair", "upload")
    tab.get_by_role("heading", name="Upload", exact=True).wait_for()
    settle(tab)
    tab.locator("input[type=file]").set_input_files(str(upload))
    tab.get_by_text("The file is valid: 1 row(s) ready to commit.").wait_for()
    settle(tab)
    screenshot(tab, "5-upload-preview")
    tab.get_by_role("button", name="Commit").click()
    tab.get_by_text(re.compile(r"Committed as batch \d+")).wait_for()
    settle(tab)
    assert tab.get_by_role("button", name="Commit").is_disabled()
    screenshot(tab, "5-upload-committed")

    tab.goto(server)
    tab.get_by_role("heading", name="Overview").wait_for()
    settle(tab)
    complete = tab.locator('[data-testid="stMetric"]', has_text="Complete")
    assert complete.locator('[data-testid="stMetricValue"]').inner_text() == "2"


def test_a_lead_downloads_the_template_fills_it_in_and_commits_it(
    _dashboard_template: Path, tab: Any, tmp_path: Path
) -> None:
    # A server of its own: the module's other writer closes the lead's open recommendation.
    # (The fixture's meetings are all past: a Board meeting 30 days ahead is the one the
    # template is for, and its date is filled in.)
    db = copy_of(_dashboard_template, tmp_path)
    ahead = dt.date.today() + dt.timedelta(days=30)
    con = store.connect(db)
    try:
        data = f"body,date\nCJB,{ahead:%d/%m/%Y}\n".encode()
        assert ingest.import_file(con, "meetings", "m.csv", data).status == "committed"
    finally:
        con.close()
    with running_dashboard(db) as server:
        lead_fills_in_the_template(tab, server, tmp_path, ahead)


def lead_fills_in_the_template(tab: Any, server: str, tmp_path: Path, ahead: dt.date) -> None:
    sign_in(tab, server, "lead", "upload")
    tab.get_by_role("heading", name="Upload", exact=True).wait_for()
    settle(tab)
    name = f"updates-DS-Patel-{ahead:%Y-%m-%d}.csv"  # named for the meeting it is for
    with tab.expect_download() as download:
        tab.get_by_role("button", name=f"Download {name}", exact=True).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:4] == ["recommendation_id", "meeting_date", "body", "status"]
    assert [r[:3] for r in rows] == [["RAPE1-R3", f"{ahead:%d/%m/%Y}", "CJB"]]  # DS Patel's one
    # The lead writes the status and the update; every other cell goes back as it came.
    filled = dict(zip(header, rows[0], strict=True))
    filled |= {"status": "In progress", "update": "Started."}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerow(filled)
    upload = tmp_path / "filled.csv"
    upload.write_text(out.getvalue(), encoding="utf-8")
    tab.locator("input[type=file]").set_input_files(str(upload))
    tab.get_by_text("The file is valid: 1 row(s) ready to commit.").wait_for()
    tab.get_by_role("button", name="Commit").click()
    tab.get_by_text(re.compile(r"Committed as batch \d+")).wait_for()


def test_each_role_sees_its_own_navigation(server: str, chromium: Any) -> None:
    for role, links in NAVIGATION.items():
        context = chromium.new_context(viewport={"width": 1400, "height": 1600})
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        sign_in(tab, server, role, "accessibility")  # the sidebar is the same on every page
        settle(tab)
        sidebar = tab.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]')
        sidebar.get_by_text(links[-1], exact=True).wait_for()
        assert sidebar.all_inner_texts() == links, role
        assert f"Signed in as Test {role.capitalize()} ({role})" in tab.inner_text("body")
        screenshot(tab, f"0-navigation-{role}")
        if role == "member":  # the upload page by its URL: a refusal, not the page
            tab.goto(f"{server}/upload")
            tab.get_by_text("A member cannot upload updates").wait_for()
            assert tab.locator("input[type=file]").count() == 0
        context.close()


def test_a_wrong_password_is_refused_and_a_reload_keeps_a_good_sign_in(
    server: str, tab: Any
) -> None:
    tab.goto(server)
    tab.get_by_role("heading", name="Sign in", exact=True).wait_for()
    tab.get_by_label("Username", exact=True).fill("member")
    tab.get_by_label("Password", exact=True).fill("not-the-password")
    tab.get_by_role("button", name="Sign in", exact=True).click()
    tab.get_by_text("The username or password is not right").wait_for()
    assert "Overview" not in [h.inner_text() for h in tab.get_by_role("heading").all()]

    sign_in(tab, server, "member", "accessibility")
    tab.reload()
    # The signed cookie carried it.
    tab.get_by_role("heading", name="Accessibility statement", exact=True).wait_for()
    tab.get_by_role("button", name="Sign out").click()
    tab.get_by_role("heading", name="Sign in", exact=True).wait_for()
    tab.reload()
    tab.get_by_role("heading", name="Sign in", exact=True).wait_for()  # and the cookie went


def test_a_post_to_the_upload_endpoint_without_the_xsrf_token_is_refused(server: str) -> None:
    boundary = "cjbboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\nrecommendation_id\r\n--{boundary}--\r\n"
    ).encode()
    request = urllib.request.Request(
        f"{server}/_stcore/upload_file/some-session/some-file",
        data=body,
        method="PUT",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert "XSRF token missing or invalid" in refused.value.read().decode()


def test_slash_overview_opens_the_overview(server: str, tab: Any) -> None:
    # The other pages are at /meetings, /overdue ...: /overview is what people will type.
    sign_in(tab, server, "member", "overview")
    tab.get_by_role("heading", name="Overview").wait_for()
    tab.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3"
    )
    settle(tab)
    assert tab.get_by_text("Page not found").count() == 0
    assert "Filters" in tab.inner_text("body")  # framed by dashboard.py like every page
