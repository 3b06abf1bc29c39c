"""The command line as automation uses it: exit codes and the --json contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cjb_tracker", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli_db(tmp_path: Path) -> Path:
    db = tmp_path / "cli.duckdb"
    assert cli("init", "--seed-only", db=db).returncode == 0
    for kind, name in (("meetings", "meetings.csv"), ("recommendations", "leads.csv")):
        assert cli("import", kind, str(DATA / name), db=db).returncode == 0
    return db


def test_import_json_committed(cli_db: Path) -> None:
    done = cli(
        "import", "updates", str(DATA / "updates_jul.csv"), "--json", "--by", "DS Patel", db=cli_db
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert set(outcome) == {"status", "batch_id", "rows", "inserted", "errors", "warnings"}
    assert (outcome["status"], outcome["rows"], outcome["inserted"]) == ("committed", 3, 3)
    again = json.loads(
        cli("import", "updates", str(DATA / "updates_jul.csv"), "--json", db=cli_db).stdout
    )
    assert again["status"] == "duplicate"


def test_import_json_rejected_exit_1(cli_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("recommendation_id,meeting_date,status\nRAPE1-R99,14/07/2021,Done\n")
    done = cli("import", "updates", str(bad), "--json", db=cli_db)
    assert done.returncode == 1
    outcome = json.loads(done.stdout)
    assert outcome["status"] == "rejected"
    assert [(e["row"], e["column"], e["code"]) for e in outcome["errors"]] == [
        (2, "recommendation_id", "foreign-key"),
        (2, "status", "constraint-error"),
    ]
    assert all(e["message"] for e in outcome["errors"])


def test_dry_run_reports_valid(cli_db: Path) -> None:
    done = cli("import", "updates", str(DATA / "updates_jul.csv"), "--dry-run", "--json", db=cli_db)
    assert (done.returncode, json.loads(done.stdout)["status"]) == (0, "valid")


def test_wrong_usage_exits_2(cli_db: Path) -> None:
    assert cli("import", "minutes", str(DATA / "meetings.csv"), db=cli_db).returncode == 2
    assert cli("import", "updates", "no-such-file.csv", db=cli_db).returncode == 2


def test_undo_and_backup_restore(cli_db: Path, tmp_path: Path) -> None:
    outcome = json.loads(
        cli("import", "updates", str(DATA / "updates_jul.csv"), "--json", db=cli_db).stdout
    )
    undone = cli("undo", str(outcome["batch_id"]), "--by", "Chair", db=cli_db)
    assert undone.returncode == 0, undone.stderr
    again = cli("undo", str(outcome["batch_id"]), db=cli_db)
    assert again.returncode == 1 and "reverted" in again.stderr
    assert "Traceback" not in again.stderr
    assert cli("backup", str(tmp_path / "bk"), db=cli_db).returncode == 0
    restored = cli("restore", str(tmp_path / "bk"), db=tmp_path / "restored.duckdb")
    assert restored.returncode == 0, restored.stderr


def test_init_refuses_an_existing_database(cli_db: Path) -> None:
    done = cli("init", "--demo", db=cli_db)
    assert done.returncode == 1 and "already exists" in done.stderr


def test_a_database_held_by_another_process_is_named_plainly(cli_db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(cli_db)!r}); "
         "print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        done = cli("import", "updates", str(DATA / "updates_jul.csv"), db=cli_db)
        assert done.returncode == 1
        assert f"in use by process {holder.pid}" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        holder.kill()
        holder.wait()


def made_before_the_first_release(db: Path) -> None:
    """What a file from before schema versions looks like: no schema_version table. (A file
    of a release is upgraded instead: tests/test_migrations.py.)"""
    import duckdb

    con = duckdb.connect(str(db))
    con.execute("drop table schema_version")
    con.close()


def test_a_database_from_before_the_first_release_is_refused_but_can_be_backed_up(
    cli_db: Path, tmp_path: Path
) -> None:
    made_before_the_first_release(cli_db)
    for args in (("import", "updates", str(DATA / "updates_jul.csv")), ("migrate",)):
        refused = cli(*args, db=cli_db)
        assert refused.returncode == 1
        assert "before release 0.1.0" in refused.stderr
        assert "cannot be upgraded" in refused.stderr
        assert "Traceback" not in refused.stderr

    assert cli("backup", str(tmp_path / "old"), db=cli_db).returncode == 0
    target = tmp_path / "restored.duckdb"
    restore = cli("restore", str(tmp_path / "old"), db=target)
    assert restore.returncode == 1
    assert "made before release 0.1.0" in restore.stderr
    assert "Nothing was restored" in restore.stderr
    assert not target.exists()  # no half-restored file left behind


def test_the_dashboard_says_so_for_a_database_of_another_version(
    cli_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    made_before_the_first_release(cli_db)
    monkeypatch.setenv("CJB_TRACKER_DB", str(cli_db))
    at = AppTest.from_file(str(Path(__file__).parents[1] / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert any("before release 0.1.0" in e.value for e in at.error)
