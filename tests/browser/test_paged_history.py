"""The Audit trail and the upload history read a page at a time (issue 16), in chromium: the
table shows 100 events of many with Previous and Next, while the CSV download, made on its
click, holds every event the filters select."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_of

from browser.browserkit import running_dashboard, screenshot, settle, sign_in
from cjb_tracker import audit, store

FAILED_SIGN_INS = 150  # more than a page of events


@pytest.fixture(scope="module")
def server(_dashboard_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture database with 150 failed sign-ins in the audit trail, on a server of this
    module's own (its export adds an event)."""
    db = copy_of(_dashboard_template, tmp_path_factory.mktemp("paged"))
    con = store.connect(db)
    for n in range(FAILED_SIGN_INS):
        audit.record_alone(con, f"guess{n % 7}", "sign-in", f"guess{n % 7}", "failure", "test")
    con.close()
    with running_dashboard(db) as url:
        yield url


def test_the_audit_trail_shows_a_page_and_downloads_every_event(server: str, tab: Any) -> None:
    sign_in(tab, server, "chair", "audit")
    tab.get_by_role("heading", name="Audit trail", exact=True).wait_for()
    settle(tab)
    heading = tab.get_by_role("heading", name=re.compile(r"^Events \(")).inner_text()
    total = int(heading.removeprefix("Events (").removesuffix(")").replace(",", ""))
    assert total > FAILED_SIGN_INS
    body = tab.inner_text("body")
    assert f"Rows 1 to 100 of {total:,}. Use Previous and Next" in body
    screenshot(tab, "7-audit-paged")
    # Click only on a page at rest: the button's file is made on the click by the run that
    # drew it, and Streamlit drops it when a later run ends (see the session note).
    settle(tab)
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download these events (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    found = list(csv.DictReader(io.StringIO(text)))
    assert len(found) == total  # every event, not the page shown
    assert sum(row["outcome"] == "failure" for row in found) == FAILED_SIGN_INS

    # The export is in the trail at once (the page reads its events afresh each run).
    tab.get_by_role("button", name="Next 100").click()
    settle(tab)
    body = tab.inner_text("body")
    assert f"Events ({total + 1:,})" in body
    assert f"Rows 101 to {total + 1:,} of {total + 1:,}" in body


def test_the_upload_history_is_paged_only_when_it_is_long(server: str, tab: Any) -> None:
    sign_in(tab, server, "chair", "upload")
    tab.get_by_role("heading", name="Upload history").wait_for()
    settle(tab)
    history = tab.locator(".st-key-table-import_history [data-testid='stDataFrame']")
    assert history.count() == 1
    assert "Rows 1 to" not in tab.inner_text("body")  # six batches: one page, no pager
    screenshot(tab, "5-upload-history")
