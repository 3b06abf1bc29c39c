"""Property-based fuzzing of the importer: whatever the bytes, the outcome is either a
commit or a rejection whose problems say what to do, never an unhandled exception, and a
rejected file never changes the data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from helpers import copy_of, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjb_tracker import ingest, store

GOOD = (Path(__file__).parent / "data" / "updates_jul.csv").read_bytes()
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def fuzz_db(
    meetings_and_leads_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The seed, meetings and leads (no updates), shared by every example of the module:
    each example leaves it as it found it (check_outcome)."""
    con = store.connect(copy_of(meetings_and_leads_template, tmp_path_factory.mktemp("fuzz")))
    yield con
    con.close()


def check_outcome(con: duckdb.DuckDBPyConnection, name: str, data: bytes) -> None:
    before = snapshot(con)
    result = ingest.import_file(con, "updates", name, data, imported_by="fuzz")
    assert result.status in {"committed", "rejected", "duplicate"}
    if result.status == "rejected":
        assert result.errors
        assert all(p.message and p.code for p in result.errors)
        assert snapshot(con) == before
    if result.status == "committed":
        assert result.batch_id is not None
        ingest.undo_batch(con, result.batch_id, "fuzz")  # keep the next example's start equal
        assert snapshot(con) == before


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["u.csv", "u.xlsx", "u.txt"]))
def test_random_bytes(fuzz_db: duckdb.DuckDBPyConnection, data: bytes, name: str) -> None:
    check_outcome(fuzz_db, name, data)


CSV_ALPHABET = st.sampled_from(list('abcR1-,;"\t\r\n /0123456789') + ["RAPE1-R3", "£", "\u00a0"])


@FUZZ
@given(st.lists(CSV_ALPHABET, max_size=300).map("".join))
def test_random_csv_like_text(fuzz_db: duckdb.DuckDBPyConnection, text: str) -> None:
    header = "recommendation_id,meeting_date,status,rag,update\n"
    check_outcome(fuzz_db, "u.csv", (header + text).encode("utf-8"))


@FUZZ
@given(st.data())
def test_mutations_of_a_good_file(fuzz_db: duckdb.DuckDBPyConnection, data: st.DataObject) -> None:
    mutated = bytearray(GOOD)
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(mutated) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert"]))
        if action == "flip":
            mutated[position] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del mutated[position]
        else:
            mutated.insert(position, data.draw(st.sampled_from(list(b',"\n\r;\x00'))))
    check_outcome(fuzz_db, "u.csv", bytes(mutated))
