"""Text a spreadsheet would run as a formula (BAD-INPUTS.md item 20): a cell starting with a
tab or a carriage return (what hides a formula from a quick look), or with =, +, - or @.
Imported from CSV and from XLSX it is stored exactly as written; in every CSV and XLSX the
tracker writes (the board pack's, the upload templates) it gets a leading apostrophe, so a
spreadsheet shows it as text. (The pages show it as text: tests/browser/test_hostile_text.)"""

from __future__ import annotations

import csv
import datetime as dt
import io

import duckdb
import openpyxl
import pytest

from cjb_tracker import ingest, packs, presenting, store, upload_templates

JANUARY = "CJB:2022-01-12"
TAB_LED = '\t=HYPERLINK("http://198.51.100.7/","open")'  # a formula behind a tab
CR_LED = "\rNext steps, after a carriage return"
TWO_TABS = "\t\tEvidence indented twice"
HEADER = ["recommendation_id", "meeting_date", "status", "update", "next_steps", "evidence"]
ROW = ["RAPE1-R2", "12/01/2022", "Closure proposed", TAB_LED, CR_LED, TWO_TABS]


def csv_file(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def excel_text(value: str) -> str:
    """A cell's text as Excel writes it into the sheet's XML (a carriage return escaped)."""
    return value.replace("\r", "_x000D_")


def xlsx_file(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Updates"
    for row in rows:
        sheet.append([excel_text(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored(con: duckdb.DuckDBPyConnection, batch_id: int | None) -> tuple[str, str, str]:
    found = con.execute(
        "select narrative, next_steps, evidence from updates where batch_id = ?", [batch_id]
    ).fetchall()
    assert len(found) == 1
    narrative, next_steps, evidence = found[0]
    return narrative, next_steps, evidence


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_leading_tab_or_carriage_return_is_stored_as_written(
    fixture_db: duckdb.DuckDBPyConnection, suffix: str
) -> None:
    data = (csv_file if suffix == "csv" else xlsx_file)([HEADER, ROW])
    result = ingest.import_file(fixture_db, "updates", f"u.{suffix}", data, imported_by="test")
    assert result.status == "committed", result.errors
    assert stored(fixture_db, result.batch_id) == (TAB_LED, CR_LED, TWO_TABS)


def test_an_xlsx_cell_that_says_x000d_in_words_keeps_its_words(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    # Excel writes the typed text '_x000D_' as '_x005F_x000D_': it is not a carriage return.
    row = [*ROW[:3], "_x005F_x000D_ is how Excel escapes a CR", "Plain.", "Audit."]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Updates"
    sheet.append(HEADER)
    sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    result = ingest.import_file(fixture_db, "updates", "u.xlsx", out.getvalue())
    assert result.status == "committed", result.errors
    assert stored(fixture_db, result.batch_id)[0] == "_x000D_ is how Excel escapes a CR"


def test_the_board_pack_csv_and_xlsx_neutralise_them(fixture_db: duckdb.DuckDBPyConnection) -> None:
    result = ingest.import_file(fixture_db, "updates", "u.csv", csv_file([HEADER, ROW]))
    assert result.status == "committed", result.errors

    text = packs.build(fixture_db, JANUARY, "csv").decode("utf-8-sig")
    rows = {r["Recommendation ID"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert rows["RAPE1-R2"]["Latest update"] == "'" + TAB_LED
    assert rows["RAPE1-R2"]["Next steps"] == "'" + CR_LED

    book = openpyxl.load_workbook(io.BytesIO(packs.build(fixture_db, JANUARY, "xlsx")))
    for sheet_name, column in (("Tracker", "Latest update"), ("Updates", "Update")):
        sheet = book[sheet_name]
        header = [c.value for c in sheet[1]]
        cells = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)]
        r2 = [c for c in cells if c[header[0]] == "RAPE1-R2" and c[column] is not None]
        assert r2[-1][column] == "'" + TAB_LED, sheet_name
        # A carriage return comes back from the sheet's XML as a line feed, or escaped;
        # either way the cell starts with the apostrophe, so it is text.
        steps = r2[-1]["Next steps"]
        assert isinstance(steps, str) and steps[0] == "'" and steps[2:] == CR_LED[1:], steps
    # And the database still holds what was written.
    assert stored(fixture_db, result.batch_id) == (TAB_LED, CR_LED, TWO_TABS)


RISKY_LEAD = "=1+2"
RISKY_TITLE = "@SUM(1+1) -2+3"


def test_an_upload_template_built_with_risky_text_neutralises_it(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    # A recommendation whose lead and title a spreadsheet would run, as the secretariat
    # typed them: stored as written, neutralised in both templates a lead downloads.
    recommendations = csv_file(
        [["report_code", "number", "title", "lead"], ["RAPE1", "5", RISKY_TITLE, RISKY_LEAD]]
    )
    result = ingest.import_file(fixture_db, "recommendations", "r.csv", recommendations)
    assert result.status == "committed", result.errors
    assert fixture_db.execute(
        "select title, lead from recommendations where rec_id = 'RAPE1-R5'"
    ).fetchall() == [(RISKY_TITLE, RISKY_LEAD)]

    # A Board meeting ahead, for the template's rows to be for (the fixture's are past).
    today = presenting.london_today()
    meeting = csv_file([["body", "date"], ["CJB", f"{today + dt.timedelta(days=30):%d/%m/%Y}"]])
    assert ingest.import_file(fixture_db, "meetings", "m.csv", meeting).status == "committed"
    rows = store.run_query(fixture_db, "upload_template_rows", lead=RISKY_LEAD, today=today)
    files = upload_templates.template_files("updates", rows, RISKY_LEAD)
    [csv_name] = [n for n in files if n.endswith(".csv")]
    [xlsx_name] = [n for n in files if n.endswith(".xlsx")]
    assert "=" not in csv_name and "+" not in csv_name  # the lead's name in the file name

    template = list(csv.DictReader(io.StringIO(files[csv_name].decode("utf-8-sig"))))
    assert [(r["recommendation_id"], r["reported_by"]) for r in template] == [
        ("RAPE1-R5", "'" + RISKY_LEAD)
    ]
    book = openpyxl.load_workbook(io.BytesIO(files[xlsx_name]))
    sheet, notes = book["Updates"], book["Read me"]
    header = [c.value for c in sheet[1]]
    assert dict(zip(header, [c.value for c in sheet[2]], strict=True))["reported_by"] == (
        "'" + RISKY_LEAD
    )
    noted = [c.value for row in notes.iter_rows() for c in row]
    assert "'" + RISKY_TITLE in noted and "'" + RISKY_LEAD in noted
    assert RISKY_TITLE not in noted and RISKY_LEAD not in noted
