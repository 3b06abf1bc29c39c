"""Every read query of the dashboard against the fixture database: exact rows.

The fixture (see conftest): the 13 seed recommendations; meetings CJB 14 Jul 2021,
13 Oct 2021, 12 Jan 2022 and RASSO-STRATEGIC 8 Sep 2021; leads and due dates for R1-R4;
R1 complete in October; R2 updated in July only; R3 never updated; R4 awaiting national
action in October with its due date moved from 31 Dec 2021 to 31 Mar 2022.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd
import pytest

from cjb_tracker import ingest, presenting, store

# Each test runs on a DuckDB file and on PostgreSQL (conftest.py, issue 19).
pytestmark = pytest.mark.both_stores

TODAY = dt.date(2026, 1, 1)
ALL: dict[str, Any] = {"report": None, "body": None, "addressee": None, "lead": None}
# The list queries take a page: $limit rows (null: every row) from row $offset + 1.
EVERY_ROW: dict[str, Any] = {"limit": None, "offset": 0}
LISTED: dict[str, Any] = {**ALL, "as_at": TODAY, **EVERY_ROW}


def rows(con: duckdb.DuckDBPyConnection, name: str, *columns: str, **params: Any) -> list[Any]:
    frame = store.run_query(con, name, **params)
    picked = frame[list(columns)] if columns else frame
    return [
        tuple(None if pd.isna(v) else v for v in row)
        for row in picked.itertuples(index=False, name=None)
    ]


def d(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def test_headline_counts(fixture_db: duckdb.DuckDBPyConnection) -> None:
    assert rows(fixture_db, "headline_counts", **ALL, as_at=TODAY) == [(13, 12, 1, 3, 1, 0, 9)]
    assert rows(fixture_db, "headline_counts", **ALL, as_at=dt.date(2021, 10, 1)) == [
        (13, 13, 0, 0, 0, 0, 9)
    ]
    patel = {**ALL, "lead": "DS Patel"}
    assert rows(fixture_db, "headline_counts", **patel, as_at=TODAY) == [(2, 1, 1, 1, 0, 0, 0)]


def test_status_by_addressee_groups_local_before_national(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    found = rows(fixture_db, "status_by_addressee", **ALL, as_at=TODAY)
    assert found[:3] == [
        ("local", "CPS Areas", "Not started", 2),
        ("local", "CPS Areas", "Awaiting national action", 1),
        ("local", "Police forces", "Not started", 6),
    ]
    assert [r[0] for r in found] == sorted(r[0] for r in found)  # local, then national
    assert sum(r[3] for r in found if r[1] == "Police forces") == 8


def test_status_by_meeting_moves_meeting_by_meeting(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(
        fixture_db, "status_by_meeting", "meeting_id", "status", "recommendations",
        **ALL, as_at=TODAY,
    )  # fmt: skip
    # RAPE1 was published on 16 Jul 2021: in July only the three reported on count.
    assert found == [
        ("CJB:2021-07-14", "Not started", 1),
        ("CJB:2021-07-14", "In progress", 2),
        ("CJB:2021-10-13", "Not started", 11),
        ("CJB:2021-10-13", "Awaiting national action", 1),
        ("CJB:2021-10-13", "Complete", 1),
        ("CJB:2022-01-12", "Not started", 11),
        ("CJB:2022-01-12", "Awaiting national action", 1),
        ("CJB:2022-01-12", "Complete", 1),
    ]
    strategic = {**ALL, "body": "RASSO-STRATEGIC"}
    assert rows(fixture_db, "status_by_meeting", **strategic, as_at=TODAY) == []


def test_rag_mix_of_open_items(fixture_db: duckdb.DuckDBPyConnection) -> None:
    assert rows(fixture_db, "rag_mix", **ALL, as_at=TODAY) == [
        ("Red", 1), ("Amber", 1), ("No RAG given", 10),
    ]  # fmt: skip


def test_filter_choices(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(fixture_db, "filter_choices")
    assert ("lead", "DS Patel") in found
    assert ("report", "RAPE1") in found
    assert ("addressee", "Home Office") in found
    assert [v for f, v in found if f == "body"] == ["CJB", "RASSO-OPERATIONAL", "RASSO-STRATEGIC"]


def test_recommendation_list_and_search(fixture_db: duckdb.DuckDBPyConnection) -> None:
    listed = rows(
        fixture_db, "recommendation_list", "rec_id", "status", "rag", "days_overdue",
        **ALL, as_at=dt.date(2022, 4, 30), search=None, **EVERY_ROW,
    )  # fmt: skip
    assert listed[:4] == [
        ("RAPE1-R1", "Complete", None, 0),
        ("RAPE1-R2", "Not started", "Amber", 30),
        ("RAPE1-R3", "Not started", None, 0),
        ("RAPE1-R4", "Awaiting national action", "Red", 30),
    ]
    assert len(listed) == 13
    by_lead = rows(fixture_db, "recommendation_list", "rec_id", **LISTED, search="patel")
    assert by_lead == [("RAPE1-R1",), ("RAPE1-R3",)]
    by_addressee = rows(fixture_db, "recommendation_list", "rec_id", **LISTED, search="HOME OFFICE")
    assert by_addressee == [("RAPE1-R3",), ("RAPE1-R11",)]


def test_recommendation_detail(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(
        fixture_db, "recommendation_detail", "rec_id", "status", "rag", "due", "original_due",
        "revisions", "lead", rec_id="RAPE1-R4", as_at=TODAY,
    )  # fmt: skip
    assert found == [
        ("RAPE1-R4", "Awaiting national action", "Red", d("2022-03-31"), d("2021-12-31"), 1,
         "CPS RASSO Lead"),
    ]  # fmt: skip
    assert rows(fixture_db, "recommendation_detail", rec_id="RAPE1-R99", as_at=TODAY) == []


def test_addressees_of_recommendation_in_report_order(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    assert rows(fixture_db, "addressees_of_recommendation", rec_id="RAPE1-R3") == [
        ("Police forces", "local"), ("Home Office", "national"),
    ]  # fmt: skip


def test_recommendation_updates_newest_first(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(
        fixture_db, "recommendation_updates", "meeting_id", "status", "rag", "reported_by",
        rec_id="RAPE1-R4",
    )  # fmt: skip
    assert found == [
        ("CJB:2021-10-13", "Awaiting national action", "Red", "CPS RASSO Lead"),
        ("CJB:2021-07-14", "In progress", "Amber", "CPS RASSO Lead"),
    ]


def test_a_later_upload_supersedes_in_the_updates(fixture_db: duckdb.DuckDBPyConnection) -> None:
    again = b"recommendation_id,meeting_date,status,rag,update\nRAPE1-R4,13/10/2021,In progress,Amber,Corrected\n"  # noqa: E501
    assert ingest.import_file(fixture_db, "updates", "c.csv", again).status == "committed"
    found = rows(fixture_db, "recommendation_updates", "meeting_id", "narrative", rec_id="RAPE1-R4")
    assert found == [
        ("CJB:2021-10-13", "Corrected"),
        ("CJB:2021-07-14", "Case strategy template drafted."),
    ]  # noqa: E501


def test_due_date_history(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(fixture_db, "due_date_history", rec_id="RAPE1-R4")
    assert found == [
        (0, None, None, d("2021-12-31"), "Original due date", None, 0),
        (1, d("2021-10-13"), "CJB:2021-10-13", d("2022-03-31"),
         "Awaiting NPCC/CPS national framework", 90, 90),
    ]  # fmt: skip
    assert rows(fixture_db, "due_date_history", "step", "due", rec_id="RAPE1-R9") == [(0, None)]


def test_meeting_list_links_each_meeting_to_the_previous_one_of_its_body(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    found = rows(fixture_db, "meeting_list", "meeting_id", "previous_meeting_id")
    assert found == [
        ("CJB:2022-01-12", "CJB:2021-10-13"),
        ("CJB:2021-10-13", "CJB:2021-07-14"),
        ("RASSO-STRATEGIC:2021-09-08", None),
        ("CJB:2021-07-14", None),
    ]


def test_meeting_changes_since_the_previous_meeting(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(
        fixture_db, "meeting_changes", "change", "rec_id", "before", "after",
        meeting_id="CJB:2021-10-13", **ALL, limit=None, offsets=None,
    )  # fmt: skip
    changes = [r for r in found if r[0] != "New recommendation"]
    assert changes == [
        ("Status changed", "RAPE1-R1", "In progress", "Complete"),
        ("Status changed", "RAPE1-R4", "In progress", "Awaiting national action"),
        ("RAG changed", "RAPE1-R4", "Amber", "Red"),
        ("Due date changed", "RAPE1-R4", "31 Dec 2021", "31 Mar 2022"),
    ]
    # RAPE1 was published on 16 Jul 2021, after the July meeting: all 13 are new in October.
    assert len(found) - len(changes) == 13


def test_meeting_changes_explain_each_change_by_the_update_at_that_meeting(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    found = rows(
        fixture_db, "meeting_changes", "change", "rec_id", "detail",
        meeting_id="CJB:2021-10-13", **ALL, limit=None, offsets=None,
    )  # fmt: skip
    details = {(change, rec): detail for change, rec, detail in found}
    assert details[("Status changed", "RAPE1-R1")] == "Recording live since 1 Sep 2021."
    assert details[("RAG changed", "RAPE1-R4")] == "Waiting for the national framework."
    assert details[("Due date changed", "RAPE1-R4")] == "Awaiting NPCC/CPS national framework"


def test_meeting_changes_newly_overdue_and_closure_proposed(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    closing = b"recommendation_id,meeting_date,status,rag,update,evidence\nRAPE1-R2,12/01/2022,Closure proposed,Green,Done,Audit\n"  # noqa: E501
    assert ingest.import_file(fixture_db, "updates", "c.csv", closing).status == "committed"
    found = rows(
        fixture_db, "meeting_changes", "change", "rec_id", "after", "detail",
        meeting_id="CJB:2022-01-12", **ALL, limit=None, offsets=None,
    )  # fmt: skip
    assert ("Closure proposed for decision", "RAPE1-R2", "Closure proposed", "Audit") in found
    assert ("Newly overdue", "RAPE1-R1", "72 days overdue", None) not in found  # R1 is complete
    newly = [r for r in found if r[0] == "Newly overdue"]
    assert newly == []  # R4's revised date (31 Mar 2022) is after 12 Jan 2022


def test_updates_owed_by_lead(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(
        fixture_db,
        "updates_owed",
        "lead",
        "rec_id",
        meeting_id="CJB:2021-10-13",
        **ALL,
        **EVERY_ROW,
    )
    assert found[:2] == [("DS Patel", "RAPE1-R3"), ("ISVA Manager", "RAPE1-R2")]
    assert {r[1] for r in found}.isdisjoint({"RAPE1-R1", "RAPE1-R4"})
    assert len(found) == 11
    assert (
        rows(
            fixture_db, "updates_owed", meeting_id="RASSO-STRATEGIC:2021-09-08", **ALL, **EVERY_ROW
        )
        == []
    )


def test_overdue_recommendations(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(
        fixture_db, "overdue_recommendations", "rec_id", "days_overdue", "days_past_original",
        "revisions", **ALL, as_at=dt.date(2022, 7, 1), **EVERY_ROW,
    )  # fmt: skip
    assert found == [
        ("RAPE1-R2", 92, 92, 0),
        ("RAPE1-R4", 92, 182, 1),
        ("RAPE1-R3", 1, 1, 0),
    ]


def test_recommendations_without_due_date(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(fixture_db, "recommendations_without_due_date", "rec_id", **LISTED)
    assert found == [(f"RAPE1-R{n}",) for n in range(5, 14)]


def test_stale_recommendations(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(fixture_db, "stale_recommendations", "rec_id", **LISTED)
    assert ("RAPE1-R2",) in found  # July only; not at October or January
    assert ("RAPE1-R4",) not in found  # updated in October, one of the last two meetings
    assert ("RAPE1-R1",) not in found  # complete


def test_import_history_newest_first(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(
        fixture_db, "import_history", "batch_id", "kind", "file_name", "status", **EVERY_ROW
    )
    assert found[0] == (6, "updates", "updates_oct.csv", "committed")
    assert found[-1][1] == "seed"


def test_undoable_batches_are_the_committed_ones_but_the_seed(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    found = rows(fixture_db, "undoable_batches", "batch_id", "file_name")
    assert found == [
        (6, "updates_oct.csv"),
        (5, "updates_jul.csv"),
        (4, "leads.csv"),
        (3, "meetings.csv"),
        (2, "recommendations.csv"),
    ]
    ingest.undo_batch(fixture_db, 6, "test")
    assert rows(fixture_db, "undoable_batches", "batch_id")[0] == (5,)


def test_audit_filter_choices_are_the_actors_and_outcomes_there_have_been(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    assert rows(fixture_db, "audit_filter_choices") == [
        ("actor", "Source letter (PCC, 13 Sep 2021)"),
        ("actor", "fixture"),
        ("outcome", "committed"),
    ]
    ingest.import_file(fixture_db, "updates", "bad.csv", b"recommendation_id\nRAPE1-R99\n")
    assert ("outcome", "rejected") in rows(fixture_db, "audit_filter_choices")


def test_upload_template_rows(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(
        fixture_db, "upload_template_rows", "recommendation_id", "meeting_date", "status",
        "reported_by", lead="DS Patel", today=dt.date(2021, 11, 1),
    )  # fmt: skip
    assert found == [("RAPE1-R3", d("2022-01-12"), "Not started", "DS Patel")]
    everyone = rows(fixture_db, "upload_template_rows", lead=None, today=dt.date(2021, 11, 1))
    assert len(everyone) == 12  # every open recommendation


def test_current_positions_and_illustrative_batches(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(fixture_db, "current_positions", rec_ids=["RAPE1-R1", "RAPE1-R3"])
    positions = {r: s for r, s, _ in found}
    assert positions == {"RAPE1-R1": "Complete", "RAPE1-R3": "Not started"}
    assert rows(fixture_db, "illustrative_batches") == [(0,)]


@pytest.mark.parametrize(
    ("name", "params"),
    [("headline_counts", {}), ("overdue_recommendations", EVERY_ROW), ("rag_mix", {})],
)
def test_an_undone_batch_disappears_from_the_read_queries(
    fixture_db: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]
) -> None:
    before = rows(fixture_db, name, **ALL, **params, as_at=TODAY)
    data = b"recommendation_id,meeting_date,status,rag,update\nRAPE1-R3,12/01/2022,Complete,,Done\n"
    result = ingest.import_file(fixture_db, "updates", "u.csv", data)
    assert rows(fixture_db, name, **ALL, **params, as_at=TODAY) != before
    assert result.batch_id is not None
    ingest.undo_batch(fixture_db, result.batch_id, "test")
    assert rows(fixture_db, name, **ALL, **params, as_at=TODAY) == before


def values(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as plain values, nulls as None: a column all null on a page comes back from
    DuckDB as objects (None), the same column with values in it as strings (NaN)."""
    records: list[dict[str, Any]] = (
        frame.astype(object).where(frame.notna(), None).to_dict("records")
    )
    return records


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("recommendation_list", {**LISTED, "search": None}),
        ("overdue_recommendations", {**LISTED, "as_at": dt.date(2022, 7, 1)}),
        ("recommendations_without_due_date", LISTED),
        ("stale_recommendations", LISTED),
        ("updates_owed", {**ALL, "meeting_id": "CJB:2021-10-13", **EVERY_ROW}),
        ("import_history", EVERY_ROW),
        (
            "audit_events",
            {"action": None, "actor": None, "outcome": None, "since": None, "until": None}
            | EVERY_ROW,
        ),
    ],
)
def test_a_list_query_returns_a_page_and_how_many_rows_in_all(
    fixture_db: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]
) -> None:
    every = store.run_query(fixture_db, name, **params)
    assert len(every) >= 3
    assert set(every["total_rows"]) == {len(every)}
    for offset in (0, 1):
        page = store.run_query(fixture_db, name, **{**params, "limit": 2, "offset": offset})
        expected = every.iloc[offset : offset + 2].reset_index(drop=True)
        assert values(page.drop(columns="total_rows")) == values(
            expected.drop(columns="total_rows")
        )
        assert set(page["total_rows"]) == {len(every)}
    past = store.run_query(fixture_db, name, **{**params, "limit": 2, "offset": len(every)})
    assert past.empty


def test_meeting_changes_page_each_kind_and_count_them_all(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    params = {**ALL, "meeting_id": "CJB:2021-10-13"}
    every = store.run_query(fixture_db, "meeting_changes", **params, limit=None, offsets=None)
    first = store.run_query(fixture_db, "meeting_changes", **params, limit=1, offsets=None)
    assert every.groupby("change").size().to_dict() == {
        "Due date changed": 1, "New recommendation": 13, "RAG changed": 1, "Status changed": 2,
    }  # fmt: skip
    assert first.groupby("change").size().to_dict() == {
        "Due date changed": 1, "New recommendation": 1, "RAG changed": 1, "Status changed": 1,
    }  # fmt: skip
    assert dict(zip(first["change"], first["kind_total"], strict=True)) == {
        "Due date changed": 1, "New recommendation": 13, "RAG changed": 1, "Status changed": 2,
    }  # fmt: skip
    assert list(first["rec_id"][first["change"] == "Status changed"]) == ["RAPE1-R1"]
    # Each kind pages on its own: the second status change, the third new recommendation.
    later = store.run_query(
        fixture_db, "meeting_changes", **params, limit=1, offsets=[1, 0, 0, 0, 0, 2]
    )
    assert list(later["rec_id"][later["change"] == "Status changed"]) == ["RAPE1-R4"]
    assert list(later["rec_id"][later["change"] == "New recommendation"]) == ["RAPE1-R3"]
    assert list(later["rec_id"][later["change"] == "RAG changed"]) == ["RAPE1-R4"]


def test_overdue_groups_by_lead_body_and_addressee(fixture_db: duckdb.DuckDBPyConnection) -> None:
    july = {**ALL, "as_at": dt.date(2022, 7, 1)}  # R2, R4 (92 days) and R3 (1 day) overdue
    assert rows(fixture_db, "overdue_groups", **july, by="lead") == [
        ("CPS RASSO Lead", 1, 92), ("ISVA Manager", 1, 92), ("DS Patel", 1, 1),
    ]  # fmt: skip
    assert rows(fixture_db, "overdue_groups", **july, by="body") == [("CJB", 3, 92)]
    by_addressee = rows(fixture_db, "overdue_groups", **july, by="addressee")
    assert by_addressee[0] == ("Police forces", 3, 92)  # each item once per addressee
    assert ("Home Office", 1, 1) in by_addressee  # R3's national addressee


def test_updates_owed_by_lead_counts_each_lead(fixture_db: duckdb.DuckDBPyConnection) -> None:
    found = rows(fixture_db, "updates_owed_by_lead", meeting_id="CJB:2021-10-13", **ALL)
    assert found == [("No lead set", 9), ("DS Patel", 1), ("ISVA Manager", 1)]
    # The Meetings page counts them itself when one page of updates_owed holds every row.
    owed = {"meeting_id": "CJB:2021-10-13", **ALL}
    whole = store.run_query(fixture_db, "updates_owed", **owed, **EVERY_ROW)
    counted = presenting.owed_by_lead(whole)
    assert counted is not None
    assert [tuple(r) for r in counted.itertuples(index=False)] == found
    part = store.run_query(fixture_db, "updates_owed", **owed, limit=5, offset=0)
    assert presenting.owed_by_lead(part) is None  # only some rows: the query counts them


def test_upload_template_summary_counts_rows_and_names_the_next_meeting(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    found = rows(fixture_db, "upload_template_summary", lead=None, today=dt.date(2021, 11, 1))
    assert found == [(12, d("2022-01-12"))]  # as upload_template_rows: 12 open, January next
    patel = rows(fixture_db, "upload_template_summary", lead="DS Patel", today=dt.date(2021, 11, 1))
    assert patel == [(1, d("2022-01-12"))]
    after = rows(fixture_db, "upload_template_summary", lead=None, today=dt.date(2022, 2, 1))
    assert after == [(12, None)]


def test_proposed_closures_carry_the_proposal(fixture_db: duckdb.DuckDBPyConnection) -> None:
    closing = b"recommendation_id,meeting_date,status,rag,update,evidence\nRAPE1-R2,12/01/2022,Closure proposed,Green,Done,Audit\n"  # noqa: E501
    assert ingest.import_file(fixture_db, "updates", "c.csv", closing).status == "committed"
    found = rows(
        fixture_db, "proposed_closures", "rec_id", "proposed_at", "narrative", "evidence"
    )  # fmt: skip
    assert found == [("RAPE1-R2", "CJB:2022-01-12", "Done", "Audit")]


def test_decision_meetings_are_the_proposals_meeting_and_later_ones_of_its_body_held_by_today(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    later = b"body,date,title\nCJB,13/01/2099,Board meeting not yet held\n"
    assert ingest.import_file(fixture_db, "meetings", "m.csv", later).status == "committed"
    found = rows(fixture_db, "decision_meetings", "meeting_id", proposed_at="CJB:2021-10-13")
    assert found == [("CJB:2022-01-12",), ("CJB:2021-10-13",)]  # not 2099, not RASSO's
    assert rows(
        fixture_db, "decision_meetings", "meeting_id", proposed_at="RASSO-STRATEGIC:2021-09-08"
    ) == [("RASSO-STRATEGIC:2021-09-08",)]


def test_undo_blockers_are_the_later_batches_using_what_only_this_batch_added(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    meetings_batch, july, october = 3, 5, 6  # the fixture's meetings.csv and its two updates
    assert rows(fixture_db, "undo_blockers", batch_id=meetings_batch) == [(july,), (october,)]
    assert rows(fixture_db, "undo_blockers", batch_id=october) == []  # nothing uses its rows
    ingest.undo_batch(fixture_db, october, "chair")
    assert rows(fixture_db, "undo_blockers", batch_id=meetings_batch) == [(july,)]


# --- The Overview's progress grid and presenting mode (issue 17) -------------------------

LATER_MEETINGS = (
    b"body,date,title\nCJB,13/04/2022,Board meeting April 2022\n"
    b"CJB,13/07/2022,Board meeting July 2022\n"
)


def test_progress_grid_is_the_status_at_each_meeting_a_page_of_recommendations(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    grid = {**ALL, "as_at": TODAY, **EVERY_ROW}
    found = rows(
        fixture_db, "progress_grid", "rec_id", "meeting_id", "status", "rag", "reported", **grid
    )
    assert len(found) == 13 * 3  # every recommendation at each of CJB's three meetings
    assert found[:12] == [
        ("RAPE1-R1", "CJB:2021-07-14", "In progress", "Green", True),
        ("RAPE1-R1", "CJB:2021-10-13", "Complete", None, True),
        ("RAPE1-R1", "CJB:2022-01-12", "Complete", None, False),
        # Reported once, then no update: where it stood, not reported there.
        ("RAPE1-R2", "CJB:2021-07-14", "Not started", "Amber", True),
        ("RAPE1-R2", "CJB:2021-10-13", "Not started", "Amber", False),
        ("RAPE1-R2", "CJB:2022-01-12", "Not started", "Amber", False),
        # Never reported on: no status at all (a gap, not "Not started").
        ("RAPE1-R3", "CJB:2021-07-14", None, None, False),
        ("RAPE1-R3", "CJB:2021-10-13", None, None, False),
        ("RAPE1-R3", "CJB:2022-01-12", None, None, False),
        ("RAPE1-R4", "CJB:2021-07-14", "In progress", "Amber", True),
        ("RAPE1-R4", "CJB:2021-10-13", "Awaiting national action", "Red", True),
        ("RAPE1-R4", "CJB:2022-01-12", "Awaiting national action", "Red", False),
    ]
    patel = rows(fixture_db, "progress_grid", "rec_id", **{**grid, "lead": "DS Patel"})
    assert sorted(set(patel)) == [("RAPE1-R1",), ("RAPE1-R3",)]
    page = store.run_query(fixture_db, "progress_grid", **{**grid, "limit": 2, "offset": 1})
    assert sorted(set(page["rec_id"])) == ["RAPE1-R2", "RAPE1-R3"]
    assert set(page["total_rows"]) == {13}
    before_october = rows(
        fixture_db, "progress_grid", "meeting_id", **{**grid, "as_at": dt.date(2021, 10, 1)}
    )
    assert set(before_october) == {("CJB:2021-07-14",)}


def test_stalled_recommendations_have_kept_their_status_over_four_meetings(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    params = {**ALL, "as_at": dt.date(2022, 8, 1), "limit": 2}
    # Three meetings held: too few to call anything stalled; the counts still come back.
    three = rows(
        fixture_db, "stalled_recommendations", "rec_id", "stalled_total", "open_total",
        "meetings", **{**params, "as_at": TODAY},
    )  # fmt: skip
    assert three == [(None, 0, 12, 3)]
    assert ingest.import_file(fixture_db, "meetings", "m.csv", LATER_MEETINGS).status == (
        "committed"
    )
    found = rows(
        fixture_db, "stalled_recommendations", "rec_id", "status", "since", "stalled_total",
        "open_total", "first_on", "latest_on", "meetings", **params,
    )  # fmt: skip
    # Over Oct 2021 to Jul 2022 no open recommendation moved; the first two are named.
    assert found == [
        ("RAPE1-R2", "Not started", d("2021-07-14"), 12, 12, d("2021-10-13"), d("2022-07-13"), 4),
        ("RAPE1-R3", "Not started", None, 12, 12, d("2021-10-13"), d("2022-07-13"), 4),
    ]
    by_lead = rows(
        fixture_db, "stalled_recommendations", "rec_id", **{**params, "lead": "DS Patel"}
    )
    assert by_lead == [("RAPE1-R3",)]  # R1 is closed


def test_meeting_agenda_takes_closures_then_changes_newly_overdue_overdue_and_the_rest(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    october = rows(fixture_db, "meeting_agenda", "rec_id", "section", meeting_id="CJB:2021-10-13")
    assert october[:3] == [("RAPE1-R1", 2), ("RAPE1-R4", 2), ("RAPE1-R2", 5)]  # changed first
    assert len(october) == 13
    closing = b"recommendation_id,meeting_date,status,rag,update,evidence\nRAPE1-R4,12/01/2022,Closure proposed,Green,Done,Audit\n"  # noqa: E501
    assert ingest.import_file(fixture_db, "updates", "c.csv", closing).status == "committed"
    january = rows(
        fixture_db, "meeting_agenda", "rec_id", "section", "status_before", "status_now",
        meeting_id="CJB:2022-01-12",
    )  # fmt: skip
    assert january[0] == ("RAPE1-R4", 1, "Awaiting national action", "Closure proposed")
    assert len(january) == 12  # R1 closed in October: not on the agenda
    assert ingest.import_file(fixture_db, "meetings", "m.csv", LATER_MEETINGS).status == (
        "committed"
    )
    # R4's closure is still undecided: first. R3 fell due on 30 Jun 2022: newly overdue; R2
    # on 31 Mar 2022: overdue already at April's meeting.
    july = rows(fixture_db, "meeting_agenda", "rec_id", "section", meeting_id="CJB:2022-07-13")
    assert july[:4] == [("RAPE1-R4", 1), ("RAPE1-R3", 3), ("RAPE1-R2", 4), ("RAPE1-R5", 5)]


def test_presented_recommendation_is_as_at_the_meeting(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    columns = (
        "rec_id", "status", "rag", "due", "original_due", "revisions", "overdue",
        "days_overdue", "lead", "last_update_meeting_id", "narrative", "next_steps",
    )  # fmt: skip
    october = rows(
        fixture_db, "presented_recommendation", *columns,
        rec_id="RAPE1-R4", meeting_id="CJB:2021-10-13",
    )  # fmt: skip
    assert october == [
        ("RAPE1-R4", "Awaiting national action", "Red", d("2022-03-31"), d("2021-12-31"), 1,
         False, 0, "CPS RASSO Lead", "CJB:2021-10-13",
         "Waiting for the national framework.",
         "Adopt the framework when published."),
    ]  # fmt: skip
    assert ingest.import_file(fixture_db, "meetings", "m.csv", LATER_MEETINGS).status == (
        "committed"
    )
    # No update at July 2022: the latest one shown, and overdue as at that meeting.
    july = rows(
        fixture_db, "presented_recommendation", "status", "overdue", "days_overdue",
        "last_update_meeting_id", rec_id="RAPE1-R2", meeting_id="CJB:2022-07-13",
    )  # fmt: skip
    assert july == [("Not started", True, 104, "CJB:2021-07-14")]
