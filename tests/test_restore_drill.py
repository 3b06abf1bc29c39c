"""The restore drill (BAD-INPUTS.md item 29): back the database up, wipe it, restore the
backup into a new file, and find every table's rows identical and every sequence where it
stood, so the next import carries on numbering where the lost file left off.

Driven through the command line, as the secretariat would run it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
from helpers import run_cli


def snapshot(db: Path) -> dict[str, Any]:
    """Every table's rows (sorted), every view's rows, and each sequence's last value."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        relations = con.execute(
            "select table_name, table_type from information_schema.tables"
            " where table_schema = 'main' order by table_name"
        ).fetchall()
        found: dict[str, Any] = {
            name: con.execute(f'select * from "{name}" order by all').fetchall()
            for name, _ in relations
        }
        found["(tables)"] = relations
        # The value each sequence gives next (a restored sequence is re-created to start
        # there, so its last_value is unset: the next value is what must carry on).
        found["(sequences)"] = con.execute(
            "select sequence_name, coalesce(last_value + increment_by, start_value)"
            " from duckdb_sequences() order by sequence_name"
        ).fetchall()
        return found
    finally:
        con.close()


def test_backup_wipe_restore_gives_back_the_same_database(tmp_path: Path) -> None:
    db = tmp_path / "tracker.duckdb"
    assert run_cli("init", "--demo", db=db).returncode == 0
    # Something undone, so a reverted batch and its undo record are in the drill too.
    last_batch = max(int(row[0]) for row in duckdb_rows(db, "select batch_id from import_batches"))
    undone = run_cli("undo", str(last_batch), "--by", "Drill chair", db=db)
    assert undone.returncode == 0, undone.stderr

    backup = tmp_path / "backup"
    done = run_cli("backup", str(backup), db=db)
    assert done.returncode == 0, done.stderr
    before = snapshot(db)

    db.unlink()  # the wipe: the file is lost
    Path(f"{db}.wal").unlink(missing_ok=True)
    assert not db.exists()

    restored = tmp_path / "restored.duckdb"
    done = run_cli("restore", str(backup), db=restored)
    assert done.returncode == 0, done.stderr
    after = snapshot(restored)

    assert after["(tables)"] == before["(tables)"]
    assert sum(len(rows) for name, rows in before.items() if not name.startswith("(")) > 100
    # Except the session key, which a backup never holds: the restore made a new one.
    assert "everyone must sign in again" in done.stdout
    assert len(after["server_secrets"]) == len(before["server_secrets"]) == 1
    assert after["server_secrets"][0][1] != before["server_secrets"][0][1]
    for name in before.keys() - {"server_secrets"}:
        assert after[name] == before[name], f"{name} differs after the restore"

    # The sequences carry on: the next import gets the next batch id and fresh record ids.
    meetings = tmp_path / "meetings.csv"
    meetings.write_text("body,date,title\nCJB,14/01/2032,Drill meeting\n", encoding="utf-8")
    imported = run_cli("import", "meetings", str(meetings), "--json", "--by", "Drill", db=restored)
    assert imported.returncode == 0, imported.stderr
    outcome = json.loads(imported.stdout)
    next_value = dict(before["(sequences)"])
    assert outcome["batch_id"] == next_value["batch_seq"]
    assert duckdb_rows(
        restored,
        "select count(*), min(record_id) from meeting_records where batch_id = ?",
        [outcome["batch_id"]],
    ) == [(1, next_value["record_seq"])]


def duckdb_rows(db: Path, sql: str, params: list[Any] | None = None) -> list[Any]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()
