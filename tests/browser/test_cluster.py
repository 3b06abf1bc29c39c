"""The cluster rig in Chromium, through its proxy: PostgreSQL, two dashboard replicas and
nginx with sticky sessions (deploy/cluster.py, what `make cluster` starts).

A browser is sent to a replica by its `cjb_replica` cookie; the tests choose cookies that
nginx hashes to each replica (it says which in X-Cjb-Replica), so one browser works on
replica A while another watches on replica B."""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import add_test_accounts, run_cli

from browser.browserkit import TIMEOUT_MS, screenshot, settle, sign_in
from cjb_tracker import replica, store
from deploy import cluster as rig

NARRATIVE = "Withdrawal reasons now recorded in every case file (cluster test)."
GOOD_UPDATE = (
    "recommendation_id,meeting_date,status,rag,update,evidence,reported_by\n"
    f"RAPE1-R3,13/01/2027,Complete,,{NARRATIVE},Audit Dec 2026,DS Patel\n"
).encode()


@pytest.fixture(scope="module")
def cluster() -> Iterator[rig.Cluster]:
    # PostgreSQL runs as its own user: the folder must be reachable by it (not pytest's
    # private temporary folder).
    folder = Path(tempfile.mkdtemp(prefix="cjb-cluster-test-", dir="/tmp"))
    try:
        running = rig.start(folder, replicas=2, port=None, demo=True)
        shared = replica.Replica.open(running.dsn)
        try:
            add_test_accounts(shared.local)
        finally:
            shared.close()
        yield running
    finally:
        rig.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


def replica_behind(url: str, key: str) -> str:
    """The replica (host:port) that nginx sends a browser with this cjb_replica cookie to."""
    request = urllib.request.Request(
        f"{url}/_stcore/health", headers={"Cookie": f"cjb_replica={key}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return str(answer.headers["X-Cjb-Replica"])


def cookies_per_replica(cluster: rig.Cluster) -> dict[str, str]:
    """For each replica, a cookie value nginx hashes to it."""
    found: dict[str, str] = {}
    for number in range(200):
        found.setdefault(replica_behind(cluster.url, f"key-{number}"), f"key-{number}")
        if len(found) == len(cluster.replicas):
            return found
    raise AssertionError(f"200 keys reached only {sorted(found)}")


def browser_on(chromium: Any, cluster: rig.Cluster, key: str) -> Any:
    context = chromium.new_context(viewport={"width": 1400, "height": 2000})
    context.add_cookies([{"name": "cjb_replica", "value": key, "url": cluster.url}])
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    return tab


def shows_narrative(tab: Any, url: str) -> bool:
    """Whether RAPE1-R3's page, as this browser's replica shows it, holds the test's update."""
    tab.goto(f"{url}/recommendations?rec=RAPE1-R3")
    tab.get_by_role("heading", name=re.compile(r"^RAPE1-R3: ")).wait_for()
    settle(tab)
    return bool(tab.get_by_text(NARRATIVE).count())


def completed(tab: Any, url: str) -> int:
    """The Overview's count of Complete recommendations, as this browser sees it."""
    tab.goto(url)
    tab.get_by_role("heading", name="Overview").wait_for()
    settle(tab)
    metric = tab.locator('[data-testid="stMetric"]', has_text="Complete")
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text())


def test_a_commit_and_an_undo_on_one_replica_show_on_the_other(
    cluster: rig.Cluster, chromium: Any, tmp_path: Path
) -> None:
    keys = cookies_per_replica(cluster)
    (a, key_a), (b, key_b) = sorted(keys.items())
    writer, watcher = browser_on(chromium, cluster, key_a), browser_on(chromium, cluster, key_b)
    sign_in(writer, cluster.url, "chair", "upload")
    sign_in(watcher, cluster.url, "member")
    assert replica_behind(cluster.url, key_a) == a != b
    assert not shows_narrative(watcher, cluster.url)

    upload = tmp_path / "january.csv"
    upload.write_bytes(GOOD_UPDATE)
    writer.get_by_role("heading", name="Upload", exact=True).wait_for()
    settle(writer)
    writer.locator("input[type=file]").set_input_files(str(upload))
    writer.get_by_text("The file is valid: 1 row(s) ready to commit.").wait_for()
    writer.get_by_role("button", name="Commit").click()
    committed = writer.get_by_text(re.compile(r"Committed as batch \d+"))
    committed.wait_for()
    batch = re.search(r"batch (\d+)", committed.inner_text())
    assert batch is not None

    assert shows_narrative(watcher, cluster.url)  # replica B, on its next page run
    screenshot(watcher, "cluster-replica-b-after-commit")

    undone = run_cli("undo", batch.group(1), "--by", "Secretariat", db=cluster.dsn)
    assert undone.returncode == 0, undone.stderr
    assert not shows_narrative(watcher, cluster.url)
    assert not shows_narrative(writer, cluster.url)
    writer.context.close()
    watcher.context.close()


def test_a_replica_killed_loses_only_its_sessions_and_no_data(
    cluster: rig.Cluster, chromium: Any
) -> None:
    keys = cookies_per_replica(cluster)
    (doomed, key_doomed), (_, key_kept) = sorted(keys.items())
    victim, bystander = (
        browser_on(chromium, cluster, key_doomed),
        browser_on(chromium, cluster, key_kept),
    )
    sign_in(victim, cluster.url, "member")
    sign_in(bystander, cluster.url, "member")
    counts = _counts(cluster.dsn)
    shown = completed(bystander, cluster.url)

    (pid,) = [r["pid"] for r in cluster.replicas if f":{r['port']}" in doomed]
    os.killpg(pid, signal.SIGKILL)

    # The bystander's session lives on in its replica: it goes on without signing in.
    bystander.get_by_role("link", name="Recommendations").first.click()
    bystander.get_by_role("heading", name="Recommendations", exact=True).wait_for()
    assert not bystander.get_by_role("heading", name="Sign in", exact=True).is_visible()

    # The victim's browser is sent to the replica still running; its Streamlit session there
    # is new, signed in by its cookie: the session key and the session's row are kept in
    # PostgreSQL, so the cookie is valid on every replica (no sign-in form).
    victim.goto(cluster.url)
    victim.get_by_text(re.compile(r"^Signed in as ")).wait_for()
    assert not victim.get_by_role("heading", name="Sign in", exact=True).count()
    assert completed(victim, cluster.url) == shown
    screenshot(victim, "cluster-after-a-replica-died")
    assert _counts(cluster.dsn) == counts  # nothing lost, nothing half-written
    victim.context.close()
    bystander.context.close()


def _counts(dsn: str) -> dict[str, int]:
    shared = replica.Replica.open(dsn)
    try:
        return {
            table: int(store.scalar(shared.local, f"select count(*) from {table}"))
            for table in ("updates", "import_batches", "superseded_updates", "user_records")
        }
    finally:
        shared.close()
