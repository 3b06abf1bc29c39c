"""The updates checks' quick answer (queries/any_problem_updates.sql) never lets a problem
through: a file whose only problem is one row provoking one check gets that problem, at
that row and column, as a file with several did before the detailed check became
conditional. (The lead's own checks are in tests/test_auth.py.)"""

from __future__ import annotations

import duckdb
import pytest
from helpers import table_counts

from cjb_tracker import ingest

HEADER = (
    "recommendation_id,meeting_date,body,status,rag,update,revised_due_date,revision_reason,"
    "evidence"
)
GOOD = "RAPE1-R3,12/01/2022,,In progress,,x,,,"

# (the third row, the problems it must give as (row, column, code))
CASES = {
    "empty id": (",12/01/2022,,In progress,,x,,,", [(3, "recommendation_id", "constraint-error")]),
    "unknown id": (
        "RAPE1-R99,12/01/2022,,In progress,,x,,,",
        [(3, "recommendation_id", "foreign-key")],
    ),
    "empty meeting date": (
        "RAPE1-R2,,,In progress,,x,,,",
        [(3, "meeting_date", "constraint-error")],
    ),
    "impossible date": (
        "RAPE1-R2,31/02/2022,,In progress,,x,,,",
        [(3, "meeting_date", "type-error")],
    ),
    "unknown body": ("RAPE1-R2,12/01/2022,NOPE,In progress,,x,,,", [(3, "body", "foreign-key")]),
    "no meeting that day": (
        "RAPE1-R2,13/01/2022,,In progress,,x,,,",
        [(3, "meeting_date", "foreign-key")],
    ),
    "empty status": ("RAPE1-R2,12/01/2022,,,,x,,,", [(3, "status", "constraint-error")]),
    "unknown status": ("RAPE1-R2,12/01/2022,,Done,,x,,,", [(3, "status", "constraint-error")]),
    "unknown rag": (
        "RAPE1-R2,12/01/2022,,In progress,Purple,x,,,",
        [(3, "rag", "constraint-error")],
    ),
    "bad revised date": (
        "RAPE1-R2,12/01/2022,,In progress,,x,32/13/2022,Staff,",
        [(3, "revised_due_date", "type-error")],
    ),
    "no reason": (
        "RAPE1-R2,12/01/2022,,In progress,,x,30/06/2022,,",
        [(3, "revision_reason", "constraint-error")],
    ),
    "revised before": (
        "RAPE1-R2,12/01/2022,,In progress,,x,01/01/2022,Staff,",
        [(3, "revised_due_date", "constraint-error")],
    ),
    "twice": (
        " rape1-r3,2022-01-12,,Complete,,y,,,",
        [(2, "recommendation_id", "duplicate-row"), (3, "recommendation_id", "duplicate-row")],
    ),
    "closure, no evidence": (
        "RAPE1-R2,12/01/2022,,Closure proposed,,x,,,",
        [(3, "evidence", "constraint-error")],
    ),
}


@pytest.mark.parametrize("third", CASES, ids=list(CASES))
def test_one_problem_row_is_named_by_row_and_column(
    fixture_db: duckdb.DuckDBPyConnection, third: str
) -> None:
    row, expected = CASES[third]
    data = "\n".join([HEADER, GOOD, row, ""]).encode()
    before = table_counts(fixture_db)
    result = ingest.import_file(fixture_db, "updates", "u.csv", data, imported_by="test")
    assert result.status == "rejected"
    assert [(p.row, p.column, p.code) for p in result.errors] == expected
    assert table_counts(fixture_db) == before
    assert result.preview is not None and len(result.preview) == 2


def test_a_warning_alone_is_named_and_the_file_written(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    data = "\n".join([HEADER, GOOD, "RAPE1-R2,12/01/2022,,Complete,Green,x,,,", ""]).encode()
    result = ingest.import_file(fixture_db, "updates", "u.csv", data, imported_by="test")
    assert (result.status, result.inserted, result.errors) == ("committed", 2, [])
    assert [(p.row, p.column, p.code) for p in result.warnings] == [(3, "rag", "constraint-error")]
    written = fixture_db.execute(
        "select rec_id, status, rag from updates where batch_id = ? order by source_row",
        [result.batch_id],
    ).fetchall()
    assert written == [("RAPE1-R3", "In progress", None), ("RAPE1-R2", "Complete", None)]
