"""`git pull && make run` keeps a Board's data: `make run` on a database of the previous
release upgrades it (with its backup) before it starts the dashboard, and the Board's own
accounts sign in with their old passwords and see their records."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import duckdb

from browser.browserkit import ROOT, TIMEOUT_MS, free_port, screenshot, settle, wait_until_healthy
from cjb_tracker import store

RELEASES = ROOT / "tests" / "data" / "releases"


def test_make_run_upgrades_a_release_database_and_serves_it(chromium: Any, tmp_path: Path) -> None:
    fixture = sorted(RELEASES.glob("*.duckdb.gz"))[0]
    made = json.loads(fixture.with_name(fixture.name.replace(".duckdb.gz", ".json")).read_text())
    db = tmp_path / "tracker.duckdb"
    with gzip.open(fixture, "rb") as packed, db.open("wb") as raw:
        shutil.copyfileobj(packed, raw)

    port = free_port()
    env = {**os.environ, "STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_HEADLESS": "true"}
    make = subprocess.Popen(
        ["make", "run", f"DB={db}"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, make)
        context = chromium.new_context(viewport={"width": 1400, "height": 2000})
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(f"{url}/recommendations?rec=RAPE1-R6")
        tab.get_by_label("Username", exact=True).fill("fx.chair")
        tab.get_by_label("Password", exact=True).fill(made["passwords"]["fx.chair"])
        tab.get_by_role("button", name="Sign in", exact=True).click()
        tab.get_by_text("Signed in as Fixture Chair").wait_for()
        settle(tab)
        shown = tab.inner_text("body")
        # The Board's decision recorded under 0.1.0 is still in the recommendation's history.
        assert "CJB/2026/10/7" in shown
        assert "earlier version" not in shown
        screenshot(tab, "upgrade-make-run")
        context.close()
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        output = make.communicate(timeout=30)[0].decode()
    assert f"is now at schema {store.SCHEMA_VERSION}" in output, output
    assert list(tmp_path.glob(f"tracker.schema{made['schema']}-backup-*.duckdb"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select max(version) from schema_version").fetchall() == [
            (store.SCHEMA_VERSION,)
        ]
    finally:
        con.close()
