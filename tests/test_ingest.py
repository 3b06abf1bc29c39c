"""Every import case of shared/BAD-INPUTS.md items 1-4, 7-19, 22, 23, 27-29: the exact rows
and columns reported, and that a rejected file writes nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import openpyxl
import pytest
from helpers import snapshot, table_counts

from cjb_tracker import ingest, store
from cjb_tracker.errors import TrackerError
from cjb_tracker.ingest import ImportResult

# Each test runs on a DuckDB file and on PostgreSQL (conftest.py, issue 19).
pytestmark = pytest.mark.both_stores

HEADER = "recommendation_id,meeting_date,status,rag,update,revised_due_date,revision_reason"


def updates_csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def run(
    con: duckdb.DuckDBPyConnection, data: bytes, name: str = "u.csv", kind: str = "updates"
) -> ImportResult:
    return ingest.import_file(con, kind, name, data, imported_by="test")


def addresses(result: ImportResult) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.code) for p in result.errors]


def rejected_unchanged(
    con: duckdb.DuckDBPyConnection, data: bytes, name: str = "u.csv", kind: str = "updates"
) -> ImportResult:
    """Import a file that must be rejected and check nothing but the batch log changed."""
    before = table_counts(con)
    result = run(con, data, name, kind)
    assert result.status == "rejected"
    assert result.errors, "a rejection names at least one problem"
    assert table_counts(con) == before
    logged = con.execute(
        "select status from import_batches where batch_id = ?", [result.batch_id]
    ).fetchall()
    assert logged == [("rejected",)]
    return result


def test_a_good_file_commits_every_row(fixture_db: duckdb.DuckDBPyConnection) -> None:
    result = run(fixture_db, updates_csv("RAPE1-R3,12/01/2022,In progress,Amber,Started,,"))
    assert (result.status, result.rows, result.inserted) == ("committed", 1, 1)
    status = fixture_db.execute(
        "select status, rag, last_meeting_id from current_status where rec_id = 'RAPE1-R3'"
    ).fetchall()
    assert status == [("In progress", "Amber", "CJB:2022-01-12")]


# 1. UTF-8 with a BOM and CRLF line ends
def test_utf8_bom_and_crlf_read_normally(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = b"\xef\xbb\xbf" + updates_csv("RAPE1-R3,12/01/2022,In progress,,Café plan,,").replace(
        b"\n", b"\r\n"
    )
    result = run(fixture_db, data)
    assert result.status == "committed", result.errors
    narrative = fixture_db.execute(
        "select narrative from updates where rec_id = 'RAPE1-R3'"
    ).fetchall()
    assert narrative == [("Café plan",)]


# 2. Windows-1252 from Excel
def test_windows_1252_is_transcoded(fixture_db: duckdb.DuckDBPyConnection) -> None:
    text = updates_csv('RAPE1-R3,12/01/2022,In progress,,"£45,000 agreed – the force’s €1 plan",,')
    result = run(fixture_db, text.decode("utf-8").encode("cp1252"))
    assert result.status == "committed", result.errors
    narrative = fixture_db.execute(
        "select narrative from updates where rec_id = 'RAPE1-R3'"
    ).fetchall()
    assert narrative == [("£45,000 agreed – the force’s €1 plan",)]


# 3. A binary file or a broken zip under a .csv/.xlsx name
@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("u.csv", bytes(range(256)) * 4, "not a text file"),
        ("u.xlsx", b"PK\x03\x04 this is not really a zip", "damaged"),
        ("u.xlsx", b"just some text saved with the wrong name", "not a valid Excel workbook"),
        ("minutes.pdf", b"%PDF-1.7 minutes of the meeting", "not a CSV or Excel file"),
        ("tracker.docx", b"PK\x03\x04 a word document", "not a CSV or Excel file"),
    ],
)
def test_binary_or_broken_files_rejected_with_a_sentence(
    fixture_db: duckdb.DuckDBPyConnection, name: str, data: bytes, words: str
) -> None:
    result = rejected_unchanged(fixture_db, data, name)
    assert result.errors[0].code == "format-error"
    assert words in result.errors[0].message


# 4. Empty file, or a header with no rows
@pytest.mark.parametrize("data", [b"", b"\n\n", updates_csv(), updates_csv(",,,,,,", ",,,,,,")])
def test_empty_file_or_header_only_means_no_data_rows(
    fixture_db: duckdb.DuckDBPyConnection, data: bytes
) -> None:
    result = rejected_unchanged(fixture_db, data)
    assert "no data rows" in result.errors[0].message


# 7. Duplicate header, blank header
def test_duplicate_header_named_with_positions(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv("RAPE1-R3,12/01/2022,In progress,,x,,,Red", header=HEADER + ",RAG")
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [(1, "rag", "duplicate-label")]
    assert "Columns 4 and 8" in result.errors[0].message


def test_blank_header_with_data_named_by_position(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv("RAPE1-R3,12/01/2022,In progress,,x,,,stray", header=HEADER + ",")
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [(1, None, "blank-label")]
    assert "Column 8" in result.errors[0].message


def test_blank_header_over_an_empty_column_is_ignored(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    data = updates_csv("RAPE1-R3,12/01/2022,In progress,,x,,,", header=HEADER + ",")
    assert run(fixture_db, data).status == "committed"


# 8. Missing required column; extra unknown column; odd spacing and case
def test_missing_required_column_is_named(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv("RAPE1-R3,12/01/2022,x", header="recommendation_id,meeting_date,update")
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [(1, "status", "missing-label")]


def test_unknown_column_warns_and_odd_headers_match(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    header = "Recommendation ID,  MEETING-date ,Status ,Red_Amber_Green,Comments"
    result = run(fixture_db, updates_csv("RAPE1-R3,12/01/2022,In progress,G,n/a", header=header))
    assert result.status == "committed", result.errors
    assert [(w.row, w.column, w.code) for w in result.warnings] == [(1, "Comments", "extra-label")]
    assert fixture_db.execute(
        "select rag from current_status where rec_id = 'RAPE1-R3'"
    ).fetchall() == [("Green",)]


# 9. Short row / long row
def test_short_and_long_rows_addressed(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv(
        "RAPE1-R3,12/01/2022,In progress,,x,,",
        "RAPE1-R2,12/01/2022,In progress",
        "RAPE1-R4,12/01/2022,In progress,,x,,,extra",
    )
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [(3, None, "missing-cell"), (4, None, "extra-cell")]


# 10. Trailing blank rows ignored; a blank row in the middle reported
def test_trailing_blank_rows_are_ignored(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv("RAPE1-R3,12/01/2022,In progress,,x,,", ",,,,,,", ",,,,,,") + b"\n\n"
    result = run(fixture_db, data)
    assert (result.status, result.rows) == ("committed", 1)


def test_blank_rows_in_the_middle_are_reported(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv(
        "RAPE1-R3,12/01/2022,In progress,,x,,",
        ",,,,,,",
        "",
        "RAPE1-R2,12/01/2022,Not started,,,,",
        "RAPE1-R9,12/01/2022,Bogus,,,,",
    )
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [
        (3, None, "blank-row"),
        (4, None, "blank-row"),
        (6, "status", "constraint-error"),
    ]


def test_a_row_of_spaces_is_blank_and_a_row_starting_with_spaces_is_not(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    data = updates_csv(
        "RAPE1-R3,12/01/2022,In progress,,x,,",
        "  , ,   ,, ,,",
        "  ,12/01/2022,In progress,,y,,",
        "RAPE1-R2,12/01/2022,Not started,,,,",
    )
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [
        (3, None, "blank-row"),
        (4, "recommendation_id", "constraint-error"),
    ]


def test_a_paragraph_break_inside_a_quoted_cell_is_not_a_blank_row(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    # Alt+Enter twice in Excel: the cell holds an empty line, the file has no blank row.
    data = updates_csv(
        'RAPE1-R3,12/01/2022,In progress,,"First paragraph.\n\nSecond paragraph.",,',
        "RAPE1-R2,12/01/2022,Not started,,,,",
    )
    result = run(fixture_db, data)
    assert (result.status, result.rows) == ("committed", 2), result.errors
    narrative = fixture_db.execute(
        "select narrative from updates where rec_id = 'RAPE1-R3'"
    ).fetchall()
    assert narrative == [("First paragraph.\n\nSecond paragraph.",)]


def test_rows_after_a_multi_line_cell_are_numbered_as_rows_not_lines(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    # Row 2 spans three lines of the file; the blank line after it is row 3, not line 5.
    data = updates_csv(
        'RAPE1-R3,12/01/2022,In progress,,"One.\n\nTwo ""quoted"".",,',
        "",
        "RAPE1-R2,12/01/2022,Bogus,,,,",
    )
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [(3, None, "blank-row"), (4, "status", "constraint-error")]


# 11. Title rows above the header
def test_title_rows_above_header_are_named(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = b"RASSO tracker - January 2022\n,,,\n" + updates_csv(
        "RAPE1-R3,12/01/2022,In progress,,x,,"
    )
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [(1, None, "format-error")]
    assert "Header row not found" in result.errors[0].message
    assert "row 3 looks like the header" in result.errors[0].message


# 12. Unterminated quote, ';' or tab separators
def test_unterminated_quote_is_addressed(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv(
        "RAPE1-R3,12/01/2022,In progress,,x,,", 'RAPE1-R2,12/01/2022,In progress,,"oops,,'
    )
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [(3, None, "format-error")]
    assert "never closed" in result.errors[0].message


@pytest.mark.parametrize(("separator", "word"), [(";", "semicolons"), ("\t", "tabs")])
def test_other_separators_are_refused_not_read_as_one_column(
    fixture_db: duckdb.DuckDBPyConnection, separator: str, word: str
) -> None:
    data = updates_csv(
        "RAPE1-R3;12/01/2022;In progress;;x;;".replace(";", separator),
        header=HEADER.replace(",", separator),
    )
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [(1, None, "format-error")]
    assert word in result.errors[0].message


# 13, 14. Month-first and impossible dates
def test_month_first_and_impossible_dates_are_type_errors(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    data = updates_csv(
        "RAPE1-R3,01/12/2022,In progress,,x,,", "RAPE1-R2,31/02/2022,In progress,,x,,"
    )
    data = data.replace(b"01/12/2022", b"04/13/2022")
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [
        (2, "meeting_date", "type-error"),
        (3, "meeting_date", "type-error"),
    ]
    assert "month-first" in result.errors[0].message and "13/04/2022" in result.errors[0].message
    assert "not a date in the calendar" in result.errors[1].message


# 15. XLSX: real date cells, Excel serial numbers and text dates
def test_xlsx_date_cells_serials_and_text(fixture_db: duckdb.DuckDBPyConnection) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Updates"
    sheet.append(
        [
            "Recommendation ID",
            "Meeting date",
            "Status",
            "RAG",
            "Revised due date",
            "Revision reason",
        ]
    )
    sheet.append(["RAPE1-R2", dt.datetime(2022, 1, 12), "In progress", "A", 44742, "Staffing"])
    sheet.append(["RAPE1-R3", "12/01/2022", "In progress", "R", dt.date(2022, 9, 30), "Soteria"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(fixture_db, buffer.getvalue(), "u.xlsx")
    assert result.status == "committed", result.errors
    due = fixture_db.execute(
        "select rec_id, due from current_status where rec_id in ('RAPE1-R2', 'RAPE1-R3') order by 1"
    ).fetchall()
    assert due == [("RAPE1-R2", dt.date(2022, 6, 30)), ("RAPE1-R3", dt.date(2022, 9, 30))]


def test_xlsx_without_the_expected_sheet_lists_the_sheets(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.create_sheet("Summary")
    buffer = io.BytesIO()
    book.save(buffer)
    result = rejected_unchanged(fixture_db, buffer.getvalue(), "u.xlsx")
    assert "Notes, Summary" in result.errors[0].message


# 16. Vocabularies
def test_status_and_rag_spellings_are_forgiven(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv(
        "RAPE1-R3,12/01/2022,  in PROGRESS ,r,x,,", "RAPE1-R2,12/01/2022,completed,,x,,"
    )
    assert run(fixture_db, data).status == "committed"
    rows = fixture_db.execute(
        "select rec_id, status, rag from current_status where rec_id in ('RAPE1-R2', 'RAPE1-R3') "
        "order by 1"
    ).fetchall()
    assert rows == [("RAPE1-R2", "Complete", None), ("RAPE1-R3", "In progress", "Red")]


def test_unknown_status_and_rag_list_the_allowed_values(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    result = rejected_unchanged(fixture_db, updates_csv("RAPE1-R3,12/01/2022,Done,Purple,x,,"))
    assert addresses(result) == [(2, "rag", "constraint-error"), (2, "status", "constraint-error")]
    assert "Red, Amber or Green" in result.errors[0].message
    assert "Not started, In progress, Awaiting national action" in result.errors[1].message


def test_rag_on_a_complete_item_is_a_warning(fixture_db: duckdb.DuckDBPyConnection) -> None:
    result = run(fixture_db, updates_csv("RAPE1-R3,12/01/2022,Complete,Green,x,,"))
    assert result.status == "committed"
    assert [(w.row, w.column) for w in result.warnings] == [(2, "rag")]


# 17. Unknown recommendation or meeting
def test_unknown_recommendation_and_meeting_are_foreign_keys(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    data = updates_csv(
        "RAPE1-R99,12/01/2022,In progress,,x,,", "RAPE1-R3,13/01/2022,In progress,,x,,"
    )
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [
        (2, "recommendation_id", "foreign-key"),
        (3, "meeting_date", "foreign-key"),
    ]
    assert "RAPE1-R99" in result.errors[0].message
    assert "No CJB meeting on 13 Jan 2022" in result.errors[1].message


# 18. The same recommendation twice for one meeting
def test_duplicate_rows_name_both_rows(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv(
        "RAPE1-R3,12/01/2022,In progress,,x,,",
        "RAPE1-R2,12/01/2022,In progress,,x,,",
        "rape1-r3,2022-01-12,Complete,,y,,",
    )
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [
        (2, "recommendation_id", "duplicate-row"),
        (4, "recommendation_id", "duplicate-row"),
    ]
    assert "rows 2 and 4" in result.errors[0].message


# 19. Stray, non-breaking and zero-width spaces in ids
def test_ids_with_invisible_spaces_are_normalised(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv("\u00a0RAPE1-R3\u200b ,12/01/2022,In progress,,x,,")
    assert run(fixture_db, data).status == "committed"
    assert fixture_db.execute(
        "select count(*) from updates where rec_id = 'RAPE1-R3'"
    ).fetchall() == [(1,)]


# 22. Revised due date without a reason, or before the meeting
def test_revised_due_needs_a_reason_and_a_date_after_the_meeting(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    data = updates_csv(
        "RAPE1-R3,12/01/2022,In progress,,x,30/06/2022,",
        "RAPE1-R2,12/01/2022,In progress,,x,01/01/2022,Staffing",
    )
    result = rejected_unchanged(fixture_db, data)
    assert addresses(result) == [
        (2, "revision_reason", "constraint-error"),
        (3, "revised_due_date", "constraint-error"),
    ]


# 23. An error at row 900 of 1,000
def test_one_bad_row_late_in_a_large_file_writes_nothing(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    meetings = "body,date\n" + "\n".join(f"CJB,{d}" for d in _dates(1000)) + "\n"
    assert run(fixture_db, meetings.encode(), "m.csv", "meetings").status == "committed"
    rows = [f"RAPE1-R3,{d},In progress,,update {i},," for i, d in enumerate(_dates(1000))]
    rows[898] = rows[898].replace("In progress", "Nearly there")
    result = rejected_unchanged(fixture_db, updates_csv(*rows))
    assert addresses(result) == [(900, "status", "constraint-error")]


def _dates(count: int) -> list[str]:
    start = dt.date(2030, 1, 1)
    return [(start + dt.timedelta(days=i)).strftime("%d/%m/%Y") for i in range(count)]


# 27. The same file twice
def test_the_same_file_twice_adds_nothing(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = updates_csv("RAPE1-R3,12/01/2022,In progress,,x,,")
    first = run(fixture_db, data)
    before = table_counts(fixture_db)
    second = run(fixture_db, data)
    assert (first.status, second.status, second.inserted) == ("committed", "duplicate", 0)
    assert table_counts(fixture_db) == before
    assert str(first.batch_id) in second.warnings[0].message


def test_a_later_upload_for_the_same_meeting_supersedes(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    run(fixture_db, updates_csv("RAPE1-R3,12/01/2022,In progress,Red,first,,"))
    run(fixture_db, updates_csv("RAPE1-R3,12/01/2022,In progress,Amber,second,,"))
    assert fixture_db.execute(
        "select narrative from effective_updates where rec_id = 'RAPE1-R3'"
    ).fetchall() == [("second",)]
    assert fixture_db.execute(
        "select count(*) from updates where rec_id = 'RAPE1-R3'"
    ).fetchall() == [(2,)]


# 28. Undo of a batch
def test_undo_restores_every_view_and_is_recorded(fixture_db: duckdb.DuckDBPyConnection) -> None:
    before = snapshot(fixture_db)
    result = run(
        fixture_db,
        updates_csv(
            "RAPE1-R3,12/01/2022,Complete,,done,,",
            "RAPE1-R4,12/01/2022,In progress,Red,x,30/09/2022,Soteria",
        ),
    )
    assert snapshot(fixture_db) != before
    assert result.batch_id is not None
    ingest.undo_batch(fixture_db, result.batch_id, "chair")
    assert snapshot(fixture_db) == before
    assert fixture_db.execute(
        "select status, reverted_by from import_batches where batch_id = ?", [result.batch_id]
    ).fetchall() == [("reverted", "chair")]
    assert fixture_db.execute("select count(*) from updates").fetchall()[0][0] == 7


def test_undo_of_a_recommendations_batch_restores_the_previous_version(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    before = snapshot(fixture_db)
    data = (
        b"report_code,number,lead,due_date,addressees\nRAPE1,5,New lead,01/01/2030,Police forces\n"
    )
    result = run(fixture_db, data, "r.csv", "recommendations")
    assert result.status == "committed", result.errors
    assert fixture_db.execute(
        "select lead, original_due from recommendations where rec_id = 'RAPE1-R5'"
    ).fetchall() == [("New lead", dt.date(2030, 1, 1))]
    assert result.batch_id is not None
    ingest.undo_batch(fixture_db, result.batch_id, "chair")
    assert snapshot(fixture_db) == before


def test_undo_refuses_a_meeting_batch_that_later_updates_use(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    meetings = run(fixture_db, b"body,date\nCJB,13/04/2022\n", "m.csv", "meetings")
    updates = run(fixture_db, updates_csv("RAPE1-R3,13/04/2022,In progress,,x,,"))
    assert meetings.batch_id is not None
    with pytest.raises(TrackerError, match=f"\\({updates.batch_id}\\)"):
        ingest.undo_batch(fixture_db, meetings.batch_id, "chair")


# 29. Backup then restore
def test_backup_and_restore_round_trip_exactly(
    fixture_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    store.backup(fixture_db, tmp_path / "backup")
    restored = store.connect(tmp_path / "restored.duckdb")
    store.restore(restored, tmp_path / "backup")
    assert table_counts(restored) == table_counts(fixture_db)
    assert snapshot(restored) == snapshot(fixture_db)
    batches = "select * from import_batches order by batch_id"
    assert restored.execute(batches).fetchall() == fixture_db.execute(batches).fetchall()
    after = run(restored, updates_csv("RAPE1-R3,12/01/2022,In progress,,x,,"))
    assert after.status == "committed"
    assert after.batch_id == 1 + max(b[0] for b in fixture_db.execute(batches).fetchall())


# Recommendations and meetings files
def test_new_report_recommendations_with_addressee_scopes(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    data = (
        b"report_code,report_title,number,title,text,addressees,due_date,lead,body\n"
        b"NEW1,A new report,1,Do X,Forces should do X.,Police forces; Probation (local),"
        b"01/04/2027,Chief Insp,CJB\n"
        b"NEW1,,2,Do Y,The Home Office should do Y.,home office,,,\n"
    )
    result = run(seeded_db, data, "r.csv", "recommendations")
    assert result.status == "committed", result.errors
    assert seeded_db.execute(
        "select rec_id, addressee, scope from recommendation_addressees "
        "where rec_id like 'NEW1-%' order by rec_id, position"
    ).fetchall() == [
        ("NEW1-R1", "Police forces", "local"),
        ("NEW1-R1", "Probation", "local"),
        ("NEW1-R2", "home office", "national"),
    ]
    assert seeded_db.execute("select title from reports where report_code = 'NEW1'").fetchall() == [
        ("A new report",)
    ]


def test_recommendation_problems_are_addressed(seeded_db: duckdb.DuckDBPyConnection) -> None:
    data = (
        b"report_code,number,title,text,addressees,due_date,body\n"
        b"NEW2,1,Do X,Text,Mystery body,01/04/2027,CJB\n"
        b"NEW2,x,Do Y,Text,Police forces,13/13/2027,NOPE\n"
        b"RAPE1,1,,,,,\n"
        b"RAPE1,1,,,,,\n"
    )
    result = rejected_unchanged(seeded_db, data, "r.csv", "recommendations")
    assert addresses(result) == [
        (2, "addressees", "constraint-error"),
        (2, "report_title", "constraint-error"),
        (3, "body", "foreign-key"),
        (3, "due_date", "type-error"),
        (3, "number", "type-error"),
        (3, "report_title", "constraint-error"),
        (4, "number", "duplicate-row"),
        (5, "number", "duplicate-row"),
    ]


def test_a_meeting_already_held_is_a_warning(fixture_db: duckdb.DuckDBPyConnection) -> None:
    data = b"body,date,title\nCJB,12/01/2022,Again\nCJB,13/04/2022,\n"
    result = run(fixture_db, data, "m.csv", "meetings")
    assert (result.status, result.inserted) == ("committed", 1)
    assert [(w.row, w.column, w.code) for w in result.warnings] == [(2, "date", "duplicate-row")]
    assert fixture_db.execute(
        "select title from meetings where meeting_id = 'CJB:2022-04-13'"
    ).fetchall() == [("Cambridgeshire and Peterborough Criminal Justice Board, 13 Apr 2022",)]


def test_dry_run_writes_nothing_and_records_nothing(fixture_db: duckdb.DuckDBPyConnection) -> None:
    batches = fixture_db.execute("select count(*) from import_batches").fetchall()
    before = table_counts(fixture_db)
    result = ingest.import_file(
        fixture_db,
        "updates",
        "u.csv",
        updates_csv("RAPE1-R3,12/01/2022,In progress,,x,,"),
        imported_by="test",
        dry_run=True,
    )
    assert (result.status, result.rows) == ("valid", 1)
    assert table_counts(fixture_db) == before
    assert fixture_db.execute("select count(*) from import_batches").fetchall() == batches


def test_a_stray_carriage_return_is_a_sentence_not_a_crash(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    # Found by tests/test_fuzz_import.py: DuckDB's reader gives up on this shape.
    result = rejected_unchanged(fixture_db, updates_csv() + b"a\r")
    assert addresses(result) == [(None, None, "format-error")]
    assert "save it again as 'CSV UTF-8" in result.errors[0].message
