"""An error no code of ours expected (BAD-INPUTS.md item 33), in a real browser on a real
`streamlit run`: the page says so in a plain sentence, with nothing of the error itself;
the server's log has what failed and the traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import copy_of

from browser.browserkit import running_dashboard, screenshot, settle, sign_in
from cjb_tracker import store

PLAIN = "Something went wrong while showing this page."


def test_an_unexpected_error_shows_a_sentence_and_the_log_holds_the_details(
    _dashboard_template: Path, tmp_path: Path, tab: Any
) -> None:
    # A damaged file: a table every status query reads is gone, so the Overview's first
    # query raises DuckDB's own CatalogException. Signing in reads none of it.
    db = copy_of(_dashboard_template, tmp_path)
    con = store.connect(db)
    con.execute("drop table positions")
    con.close()
    with running_dashboard(db) as url:
        sign_in(tab, url, "chair")
        tab.get_by_text(PLAIN).wait_for()
        settle(tab)
        screenshot(tab, "unexpected-error")
        body = tab.inner_text("body")
        assert "tell the Board secretariat which page it was and when" in body
        for detail in ("Traceback", "Catalog", "positions", "This app has encountered"):
            assert detail not in body
        assert tab.locator('[data-testid="stException"]').count() == 0
        assert tab.locator('[data-testid="stAlertContentError"]').count() == 1
    log = (tmp_path / "server.log").read_text(encoding="utf-8")  # browserkit: beside the db
    assert "Unexpected error on the page 'Overview'" in log
    assert "Traceback (most recent call last)" in log
    assert "Table with name positions does not exist" in log
