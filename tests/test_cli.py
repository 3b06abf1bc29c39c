"""The command line as automation uses it: exit codes and the --json contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import holding, run_cli

DATA = Path(__file__).parent / "data"
# cli_db (conftest.py): the seed, the fixture's meetings and leads, made by the command line.


def test_import_json_committed(cli_db: Path) -> None:
    done = run_cli(
        "import", "updates", str(DATA / "updates_jul.csv"), "--json", "--by", "DS Patel", db=cli_db
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert set(outcome) == {"status", "batch_id", "rows", "inserted", "errors", "warnings"}
    assert (outcome["status"], outcome["rows"], outcome["inserted"]) == ("committed", 3, 3)
    again = json.loads(
        run_cli("import", "updates", str(DATA / "updates_jul.csv"), "--json", db=cli_db).stdout
    )
    assert again["status"] == "duplicate"


def test_import_json_rejected_exit_1(cli_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("recommendation_id,meeting_date,status\nRAPE1-R99,14/07/2021,Done\n")
    done = run_cli("import", "updates", str(bad), "--json", db=cli_db)
    assert done.returncode == 1
    outcome = json.loads(done.stdout)
    assert outcome["status"] == "rejected"
    assert [(e["row"], e["column"], e["code"]) for e in outcome["errors"]] == [
        (2, "recommendation_id", "foreign-key"),
        (2, "status", "constraint-error"),
    ]
    assert all(e["message"] for e in outcome["errors"])


def test_dry_run_reports_valid(cli_db: Path) -> None:
    done = run_cli(
        "import", "updates", str(DATA / "updates_jul.csv"), "--dry-run", "--json", db=cli_db
    )
    assert (done.returncode, json.loads(done.stdout)["status"]) == (0, "valid")


def test_wrong_usage_exits_2(cli_db: Path) -> None:
    assert run_cli("import", "minutes", str(DATA / "meetings.csv"), db=cli_db).returncode == 2
    assert run_cli("import", "updates", "no-such-file.csv", db=cli_db).returncode == 2


def test_undo_and_backup_restore(cli_db: Path, tmp_path: Path) -> None:
    outcome = json.loads(
        run_cli("import", "updates", str(DATA / "updates_jul.csv"), "--json", db=cli_db).stdout
    )
    undone = run_cli("undo", str(outcome["batch_id"]), "--by", "Chair", db=cli_db)
    assert undone.returncode == 0, undone.stderr
    again = run_cli("undo", str(outcome["batch_id"]), db=cli_db)
    assert again.returncode == 1 and "reverted" in again.stderr
    assert "Traceback" not in again.stderr
    assert run_cli("backup", str(tmp_path / "bk"), db=cli_db).returncode == 0
    restored = run_cli("restore", str(tmp_path / "bk"), db=tmp_path / "restored.duckdb")
    assert restored.returncode == 0, restored.stderr


def test_init_refuses_an_existing_database(cli_db: Path) -> None:
    done = run_cli("init", "--demo", db=cli_db)
    assert done.returncode == 1 and "already exists" in done.stderr


def test_a_database_held_by_another_process_is_named_plainly(cli_db: Path) -> None:
    with holding(cli_db) as holder:
        done = run_cli("import", "updates", str(DATA / "updates_jul.csv"), db=cli_db)
        assert done.returncode == 1
        assert f"in use by process {holder.pid}" in done.stderr
        assert "Traceback" not in done.stderr


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
        refused = run_cli(*args, db=cli_db)
        assert refused.returncode == 1
        assert "before release 0.1.0" in refused.stderr
        assert "cannot be upgraded" in refused.stderr
        assert "Traceback" not in refused.stderr

    assert run_cli("backup", str(tmp_path / "old"), db=cli_db).returncode == 0
    target = tmp_path / "restored.duckdb"
    restore = run_cli("restore", str(tmp_path / "old"), db=target)
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


# --- Start-up: a command loads what it needs (benchmarks/startup.py times it) -------------

LOADED = """
import sys
from cjb_tracker import cli
from cjb_tracker.auth import accounts
try:
    cli.main(sys.argv[1:])
except SystemExit:  # --help exits from argparse
    pass
heavy = [m for m in ("pandas", "numpy", "openpyxl", "plotly") if m in sys.modules]
print(heavy, accounts._no_such_user_hash.cache_info().currsize)
"""


@pytest.mark.parametrize("command", [["--help"], ["user", "list"], ["undo", "--help"]])
def test_a_command_that_needs_no_data_library_loads_none(cli_db: Path, command: list[str]) -> None:
    # No pandas, numpy, openpyxl or plotly for these, and no bcrypt hash made at import.
    args = [*command, "--db", str(cli_db)] if command == ["user", "list"] else command
    done = subprocess.run([sys.executable, "-c", LOADED, *args], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[] 0"


def test_the_pack_formats_the_parser_offers_are_the_packs() -> None:
    from cjb_tracker import cli, packs

    assert cli.PACK_FORMATS == packs.FORMATS


def test_import_measures_and_links_and_a_published_file_reading_only_the_areas_held(
    cli_db: Path, tmp_path: Path
) -> None:
    examples = Path(__file__).parents[1] / "data" / "examples"
    for kind, name in (("measures", "measures.csv"), ("links", "links.csv")):
        done = run_cli("import", kind, str(examples / name), "--json", db=cli_db)
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout)["status"] == "committed"
    published = tmp_path / "cjs.csv"
    published.write_text(
        "stage,metric_name,date_granularity,time_period,value,offence_type,geographic_area_name\n"
        "Charge,Charge rate,Quarter,Apr - Jun 2022,7.9,Adult rape,Cambridgeshire\n"
        "Charge,Charge rate,Quarter,Apr - Jun 2022,5.2,Adult rape,Norfolk\n"
    )
    refused = run_cli("import", "measures", str(published), "--json", db=cli_db)
    assert refused.returncode == 1
    assert [(e["row"], e["column"], e["code"]) for e in json.loads(refused.stdout)["errors"]] == [
        (3, "area", "foreign-key")
    ]
    kept = run_cli("import", "measures", str(published), "--only-held", "--json", db=cli_db)
    assert kept.returncode == 0, kept.stdout
    outcome = json.loads(kept.stdout)
    assert (outcome["status"], outcome["rows"], outcome["inserted"]) == ("committed", 2, 1)


def test_make_run_on_postgresql_never_prints_the_password() -> None:
    """`make run` with CJB_TRACKER_DB=postgresql://user:password@... prints its commands
    and the failure without the password (here no server listens: the upgrade fails)."""
    from mailkit import free_port

    dsn = f"postgresql://cjb:pw-s3cret-42@127.0.0.1:{free_port()}/none"
    done = subprocess.run(
        ["make", "run", f"DB={dsn}"], cwd=Path(__file__).parents[1], capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert "pw-s3cret-42" not in said, said
    assert "postgresql://cjb:***@127.0.0.1:" in said and "could not be reached" in said
