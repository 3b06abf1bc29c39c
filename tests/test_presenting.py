"""The dashboard's page logic without Streamlit: dates, escaping, meeting changes, upload
previews, and templates that a lead can fill in and upload straight back."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import openpyxl
import pandas as pd

from cjb_tracker import ingest, presenting, spreadsheets, store, upload_templates
from cjb_tracker.formats import FORMATS
from cjb_tracker.problems import Problem


def test_dates_read_the_uk_way() -> None:
    assert presenting.uk_date(dt.date(2021, 9, 13)) == "13 Sep 2021"
    assert presenting.uk_date(pd.Timestamp("2022-01-02")) == "2 Jan 2022"
    assert presenting.uk_date(None) == presenting.uk_date(pd.NaT) == "not set"


def test_filters_describe_what_the_numbers_respect() -> None:
    filters = presenting.Filters(lead="DS Patel", as_at=dt.date(2021, 10, 1))
    assert filters.describe() == "As at 1 Oct 2021 · lead: DS Patel"
    assert filters.params()["as_at"] == dt.date(2021, 10, 1)


def test_markdown_is_escaped_so_it_shows_as_typed() -> None:
    escaped = presenting.escape_markdown("![x](http://evil.test/a.png) *b*")
    assert "](" not in escaped
    assert escaped.replace("\\", "") == "![x](http://evil.test/a.png) *b*"


def test_changes_by_kind_lists_every_kind_even_when_empty() -> None:
    changes = pd.DataFrame(
        {"change": ["Status changed"], "rec_id": ["RAPE1-R1"], "before": ["In progress"],
         "after": ["Complete"]}
    )  # fmt: skip
    split = dict(presenting.changes_by_kind(changes))
    assert list(split) == list(presenting.CHANGE_KINDS)
    assert list(split["Status changed"]["rec_id"]) == ["RAPE1-R1"]
    assert split["RAG changed"].empty


def test_overdue_groups_are_named_for_the_grouping() -> None:
    groups = pd.DataFrame({"group": ["Police forces"], "recommendations": [2]})
    table = presenting.overdue_groups_table(groups, "Addressee")
    assert list(table.columns) == ["addressee", "recommendations"]
    assert set(presenting.GROUPINGS.values()) == {"lead", "body", "addressee"}  # overdue_groups.sql


def test_upload_preview_marks_rows_that_change_a_status() -> None:
    preview = pd.DataFrame(
        {"row_number": [2, 3], "rec_id": ["RAPE1-R1", "RAPE1-R2"], "meeting_id": ["m", "m"],
         "status": ["Complete", "Not started"], "rag": [None, "Amber"]}
    )  # fmt: skip
    current = pd.DataFrame(
        {"rec_id": ["RAPE1-R1", "RAPE1-R2"], "status": ["In progress", "Not started"],
         "rag": ["Green", "Amber"]}
    )  # fmt: skip
    shown = presenting.upload_preview("updates", preview, current)
    assert list(shown["changes status"]) == ["yes: In progress → Complete", "no"]
    assert presenting.status_changes_count(shown) == 1


def test_problems_table_keeps_row_and_column() -> None:
    table = presenting.problems_table([Problem(3, "status", "constraint-error", "Bad status")])
    assert table.to_dict("records") == [
        {"row": 3, "column": "status", "problem": "constraint-error", "message": "Bad status"}
    ]


def test_template_cells_that_look_like_formulas_are_neutralised() -> None:
    assert spreadsheets.neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheets.neutralise("-5") == "'-5"
    assert spreadsheets.neutralise("DS Patel") == "DS Patel"


def test_a_csv_download_opens_in_excel_with_formulas_as_text() -> None:
    # The audit trail's CSV: a file name someone uploaded is not run as a formula.
    events = pd.DataFrame({"target": ['=HYPERLINK("http://x")', "updates.csv"], "n": [1, 2]})
    data = spreadsheets.csv_bytes(events)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, as Excel wants
    assert data.decode("utf-8-sig").splitlines() == [
        "target,n",
        '"\'=HYPERLINK(""http://x"")",1',
        "updates.csv,2",
    ]


def template_rows(con: duckdb.DuckDBPyConnection, lead: str | None) -> pd.DataFrame:
    return store.run_query(con, "upload_template_rows", lead=lead, today=dt.date(2021, 11, 1))


def test_a_filled_in_csv_template_uploads_cleanly(fixture_db: duckdb.DuckDBPyConnection) -> None:
    files = upload_templates.template_files("updates", template_rows(fixture_db, "DS Patel"),
                                            "DS Patel")  # fmt: skip
    name = "updates-DS-Patel-2022-01-12.csv"
    assert list(files) == [name, name.replace(".csv", ".xlsx")]
    text = files[name].decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.split(",") == list(FORMATS["updates"].names)
    assert row.startswith("RAPE1-R3,12/01/2022,CJB,Not started,")
    result = ingest.import_file(fixture_db, "updates", name, files[name], dry_run=True)
    assert (result.status, result.rows, result.errors) == ("valid", 1, [])


def test_the_xlsx_template_has_the_updates_sheet_first(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    files = upload_templates.template_files("updates", template_rows(fixture_db, None), None)
    xlsx = next(data for name, data in files.items() if name.endswith(".xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["Updates", "Read me"]
    assert [c.value for c in book["Updates"][1]] == list(FORMATS["updates"].names)
    assert book["Updates"].max_row == 13  # header + 12 open recommendations
    result = ingest.import_file(fixture_db, "updates", "t.xlsx", xlsx, dry_run=True)
    assert result.status == "valid", result.errors


def test_blank_templates_for_the_other_kinds() -> None:
    files = upload_templates.template_files("meetings", None, None)
    assert files["meetings.csv"].decode("utf-8-sig").strip() == "body,date,title,replaces"


def test_a_table_of_one_page_of_many_says_which_rows_it_shows() -> None:
    assert presenting.page_caption(100, 100, 50_013) == (
        "Rows 101 to 200 of 50,013. Use Previous and Next, or narrow them with the filters "
        "in the sidebar."
    )
    # The search is offered only where the page has one (the Recommendations list).
    assert presenting.page_caption(0, 100, 50_013, searchable=True) == (
        "Rows 1 to 100 of 50,013. Use Previous and Next, or narrow them with the filters "
        "in the sidebar or the search."
    )
    # A list the page's own filters narrow, and one no filter narrows (the upload history).
    assert presenting.page_caption(0, 100, 250, narrowed_by="the filters above") == (
        "Rows 1 to 100 of 250. Use Previous and Next, or narrow them with the filters above."
    )
    assert presenting.page_caption(200, 50, 250, narrowed_by=None) == (
        "Rows 201 to 250 of 250. Use Previous and Next."
    )
    assert presenting.page_caption(0, 19, 19) is None  # shown whole
    assert presenting.page_caption(100, 3, 103) is not None  # the last page of several


def test_a_list_querys_page_says_how_many_rows_there_are_in_all() -> None:
    # recommendation_list.sql with $limit 2: two rows, each saying 50,013 in all.
    page = pd.DataFrame({"rec_id": ["NAT0-R1", "NAT0-R2"], "total_rows": [50_013, 50_013]})
    assert presenting.total_rows(page) == 50_013
    assert list(presenting.without_counts(page).columns) == ["rec_id"]
    assert presenting.total_rows(page.head(0)) == 0


def test_the_recommendation_picker_keeps_a_chosen_one_beyond_the_limit() -> None:
    listed = pd.DataFrame({"rec_id": ["NAT0-R1"], "title": ["One"]})  # the first rows only
    linked = pd.DataFrame({"rec_id": ["NAT0-R3"], "title": ["Three"]})  # its detail row
    assert presenting.recommendation_choices(listed, None) == {"NAT0-R1": "NAT0-R1 — One"}
    assert presenting.recommendation_choices(listed, linked) == {
        "NAT0-R1": "NAT0-R1 — One",
        "NAT0-R3": "NAT0-R3 — Three",
    }
    assert presenting.recommendation_choices(listed, linked.head(0)) == {"NAT0-R1": "NAT0-R1 — One"}


def test_headline_counts_are_shown_with_commas() -> None:
    counts = pd.DataFrame({column: [37_513] for column, _, _ in presenting.HEADLINES})
    assert {value for _, value, _ in presenting.headline_metrics(counts)} == {"37,513"}


def test_the_proposals_table_leaves_out_the_exact_time_of_the_proposal() -> None:
    proposed = pd.DataFrame(
        {"rec_id": ["RAPE1-R6"], "proposed_on": [dt.date(2026, 10, 14)], "proposed_at": [1]}
    )
    assert list(presenting.proposals_table(proposed).columns) == ["rec_id", "proposed_on"]
