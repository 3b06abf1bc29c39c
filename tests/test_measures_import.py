"""Outcome measures and links, imported like everything else (issue 18): every period form
stored with its first and last day, the CJS Delivery Data Dashboard's long CSV read as it
is published, XLSX, every problem class with its row and column and nothing written, the
same file twice, undo (and what undo must refuse), and the chair's links with their history.
Real DuckDB files, real CSV and XLSX bytes, the project's own import path."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from helpers import add_test_accounts

from cjb_tracker import auth, ingest, measures, store
from cjb_tracker.errors import NotAllowed, TrackerError
from cjb_tracker.ingest import ImportResult

# Each test that takes fixture_db runs on a DuckDB file and on PostgreSQL (conftest.py).
pytestmark = pytest.mark.both_stores

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "data" / "examples"
D = dt.date

DEFINITIONS = (
    "measure,area,period,value,unit,better,area_type\n"
    "Charge rate,,,,%,higher,\n"
    "Days to charge,,,,days,lower,\n"
    ",Cambridgeshire,,,,,own\n"
    ",England and Wales,,,,,national\n"
)
MEASURE_TABLES = ("measure_records", "area_records", "measure_values", "measure_link_records")


def load(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    text: str | bytes,
    name: str = "file.csv",
    *,
    only_held: bool = False,
) -> ImportResult:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return ingest.import_file(con, kind, name, data, imported_by="test", only_held=only_held)


def committed(con: duckdb.DuckDBPyConnection, kind: str, text: str) -> int:
    result = load(con, kind, text)
    assert result.status == "committed", [p.message for p in result.errors]
    assert result.batch_id is not None
    return result.batch_id


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in MEASURE_TABLES}


def figures(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute(
        "select measure_id, area_id, breakdown, period_label, period_kind, period_start,"
        " period_end, value from measure_values_in_force order by measure_id, area_id,"
        " breakdown, period_start, period_end"
    ).fetchall()


@pytest.fixture
def defined(fixture_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The fixture database with two measures and two areas defined (no figures)."""
    committed(fixture_db, "measures", DEFINITIONS)
    return fixture_db


# --- What goes in --------------------------------------------------------------------------


def test_the_example_files_import(fixture_db: duckdb.DuckDBPyConnection) -> None:
    result = ingest.import_path(
        fixture_db, "measures", EXAMPLES / "measures.csv", imported_by="test"
    )
    assert result.status == "committed", result.errors
    assert (result.rows, result.inserted, result.warnings) == (18, 18, [])
    assert counts(fixture_db) == {
        "measure_records": 2,
        "area_records": 2,
        "measure_values": 14,
        "measure_link_records": 0,
    }
    links = ingest.import_path(fixture_db, "links", EXAMPLES / "links.csv", imported_by="test")
    assert links.status == "committed", links.errors
    assert fixture_db.execute(
        "select rec_id, measure_id, breakdown, expected from measure_links order by 2"
    ).fetchall() == [
        ("RAPE1-R4", "charge rate", "Adult rape", "rise"),
        ("RAPE1-R4", "median days from report to charge", "", "fall"),
    ]


def test_every_period_form_is_stored_with_its_first_and_last_day(
    defined: duckdb.DuckDBPyConnection,
) -> None:
    rows = [
        ("Apr - Jun 2022", ""),
        ("2022/23 Q2", ""),
        ("2022 Q4", ""),
        ("12 months to Jun 2022", ""),
        ("Jul 2022 - Jun 2023", ""),
        ("Jan 2023", ""),
        ("2022/23", ""),
        ("31/03/2024", ""),
        ("Sep 2023", "Rolling year"),
    ]
    text = "measure,area,period,granularity,value\n" + "".join(
        f"Days to charge,Cambridgeshire,{p},{g},{300 + i}\n" for i, (p, g) in enumerate(rows)
    )
    committed(defined, "measures", text)
    stored = {(label, kind, start, end) for _, _, _, label, kind, start, end, _ in figures(defined)}
    assert stored == {
        ("Apr - Jun 2022", "quarter", D(2022, 4, 1), D(2022, 6, 30)),
        ("Jul - Sep 2022", "quarter", D(2022, 7, 1), D(2022, 9, 30)),
        ("Oct - Dec 2022", "quarter", D(2022, 10, 1), D(2022, 12, 31)),
        ("Jul 2021 - Jun 2022", "year", D(2021, 7, 1), D(2022, 6, 30)),
        ("Jul 2022 - Jun 2023", "year", D(2022, 7, 1), D(2023, 6, 30)),
        ("Jan 2023", "month", D(2023, 1, 1), D(2023, 1, 31)),
        ("Apr 2022 - Mar 2023", "year", D(2022, 4, 1), D(2023, 3, 31)),
        ("31 Mar 2024", "day", D(2024, 3, 31), D(2024, 3, 31)),
        ("Oct 2022 - Sep 2023", "year", D(2022, 10, 1), D(2023, 9, 30)),
    }


PUBLISHED = (
    "stage,metric_name,date_granularity,time_period,value,offence_type,geographic_area_name,"
    "suppression_flag\n"
    "Charge,Charge rate,Quarter,Apr - Jun 2022,5.1,Adult rape,Cambridgeshire,\n"
    "Charge,Charge rate,Quarter,Apr - Jun 2022,6.0,Adult rape,England and Wales,\n"
    "Charge,Charge rate,Quarter,Jul - Sep 2022,[c],Adult rape,Cambridgeshire,c\n"
    "Charge,Charge rate,Quarter,Jul - Sep 2022,6.3,Adult rape,England and Wales,\n"
    "Charge,Charge rate,Rolling year,Sep 2022,5.6,Adult rape,Cambridgeshire,\n"
)


def test_the_cjs_dashboard_long_csv_is_read_as_it_is_published(
    defined: duckdb.DuckDBPyConnection,
) -> None:
    result = load(defined, "measures", PUBLISHED, "cjs-delivery-data.csv")
    assert result.status == "committed", result.errors
    warned = {(p.row, p.column, p.code) for p in result.warnings}
    assert warned == {
        (1, "suppression_flag", "extra-label"),  # an unknown column: read past, said once
        (4, "value", "constraint-error"),  # '[c]': no figure was published; skipped
    }
    assert figures(defined) == [
        ("charge rate", "cambridgeshire", "Adult rape", "Oct 2021 - Sep 2022", "year",
         D(2021, 10, 1), D(2022, 9, 30), 5.6),
        ("charge rate", "cambridgeshire", "Adult rape", "Apr - Jun 2022", "quarter",
         D(2022, 4, 1), D(2022, 6, 30), 5.1),
        ("charge rate", "england and wales", "Adult rape", "Apr - Jun 2022", "quarter",
         D(2022, 4, 1), D(2022, 6, 30), 6.0),
        ("charge rate", "england and wales", "Adult rape", "Jul - Sep 2022", "quarter",
         D(2022, 7, 1), D(2022, 9, 30), 6.3),
    ]  # fmt: skip


def test_a_published_file_of_every_area_is_refused_row_by_row_or_read_for_the_areas_held(
    defined: duckdb.DuckDBPyConnection,
) -> None:
    every_area = PUBLISHED + (
        "Charge,Charge rate,Quarter,Apr - Jun 2022,4.2,Adult rape,Norfolk,\n"
        "Charge,Charge rate,Quarter,Jul - Sep 2022,4.4,Adult rape,Norfolk,\n"
        "Charge,Charge rate,Quarter,Apr - Jun 2022,60,Adult rape,Suffolk,\n"
        "Charge,Conviction rate,Quarter,Apr - Jun 2022,60,Adult rape,Cambridgeshire,\n"
    )
    before = counts(defined)
    refused = load(defined, "measures", every_area)
    assert refused.status == "rejected"
    assert [(p.row, p.column, p.code) for p in refused.errors] == [
        (7, "area", "foreign-key"),
        (8, "area", "foreign-key"),
        (9, "area", "foreign-key"),
        (10, "measure", "foreign-key"),
    ]
    assert "No area 'Norfolk' is held or defined in this file" in refused.errors[0].message
    assert counts(defined) == before

    kept = load(defined, "measures", every_area, only_held=True)
    assert kept.status == "committed", kept.errors
    skipped = sorted(p.message for p in kept.warnings if p.code == "foreign-key")
    assert skipped == [
        "No area 'Norfolk' is held: its 2 row(s) are skipped (only the measures and areas "
        "held are read).",
        "No area 'Suffolk' is held: its 1 row(s) are skipped (only the measures and areas "
        "held are read).",
        "No measure 'Conviction rate' is held: its 1 row(s) are skipped (only the measures "
        "and areas held are read).",
    ]
    assert len(figures(defined)) == 4
    assert not defined.execute("select * from areas where area_id = 'norfolk'").fetchall()


def test_an_xlsx_with_date_cells_and_number_cells_is_read(
    defined: duckdb.DuckDBPyConnection,
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Measures"
    sheet.append(["Measure", "Area", "Period", "Value", "Breakdown"])
    sheet.append(["Charge rate", "Cambridgeshire", "Apr - Jun 2022", 5.1, "Adult rape"])
    sheet.append(["Charge rate", "Cambridgeshire", dt.datetime(2022, 9, 30), 5.4, "Adult rape"])
    sheet.append(["Days to charge", "Cambridgeshire", 2022, 310, None])
    out = io.BytesIO()
    book.save(out)
    result = load(defined, "measures", out.getvalue(), "measures.xlsx")
    assert result.status == "committed", result.errors
    assert [(f[3], f[7]) for f in figures(defined)] == [
        ("Apr - Jun 2022", 5.1),
        ("30 Sep 2022", 5.4),
        ("Jan - Dec 2022", 310.0),
    ]


def test_a_file_defines_its_measures_and_areas_on_any_row(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    text = (
        "measure,area,period,value,unit,better,area_type,description,source,stage\n"
        "ISVA referrals,Peterborough,Jun 2022,41,count,higher,own,Referrals to an ISVA,Rape"
        " Crisis returns,Support\n"
        "ISVA referrals,Peterborough,Jul 2022,45,,,,,,\n"
        "Referral rate,Most similar group,Jun 2022,3.2,rate,higher,similar,,,\n"
    )
    committed(fixture_db, "measures", text)
    assert fixture_db.execute(
        "select measure_id, name, unit, better, description, source, stage from measures"
        " order by 1"
    ).fetchall() == [
        ("isva referrals", "ISVA referrals", "count", "higher", "Referrals to an ISVA",
         "Rape Crisis returns", "Support"),
        ("referral rate", "Referral rate", "rate", "higher", None, None, None),
    ]  # fmt: skip
    assert fixture_db.execute("select area_id, name, role from areas order by 1").fetchall() == [
        ("most similar group", "Most similar group", "similar"),
        ("peterborough", "Peterborough", "own"),
    ]


# --- Every problem, with its row and column, and nothing written -----------------------

PROBLEMS = [
    # (file rows after the header 'measure,area,period,value,unit,better,area_type',
    #  row, column, code, words in the message)
    ("Charge rate,Cambridgeshire,06/30/2022,5,,,", 2, "period", "type-error", "looks month-first"),
    ("Charge rate,Cambridgeshire,Q5 2022,5,,,", 2, "period", "type-error", "is not a period"),
    ("Charge rate,Cambridgeshire,,5,,,", 2, "period", "constraint-error", "period is empty"),
    ("Charge rate,Cambridgeshire,Jun 2022,,,,", 2, "value", "constraint-error", "value is empty"),
    ("Charge rate,Cambridgeshire,Jun 2022,five,,,", 2, "value", "type-error", "is not a number"),
    ("Charge rate,Cambridgeshire,Jun 2022,NaN,,,", 2, "value", "type-error", "is not a number"),
    (",Cambridgeshire,Jun 2022,5,,,", 2, "measure", "constraint-error", "measure is empty"),
    ("Charge rate,,Jun 2022,5,,,", 2, "area", "constraint-error", "area is empty"),
    ("Conviction rate,Cambridgeshire,Jun 2022,5,,,", 2, "measure", "foreign-key",
     "No measure 'Conviction rate' is held or defined in this file"),
    ("Charge rate,Norfolk,Jun 2022,5,,,", 2, "area", "foreign-key",
     "No area 'Norfolk' is held or defined in this file"),
    ("Charge rate,Cambridgeshire,Jun 2022,5,days,,", 2, "unit", "constraint-error",
     "Charge rate is held in %; this row gives days"),
    ("Charge rate,Cambridgeshire,Jun 2022,5,,lower,", 2, "better", "constraint-error",
     "Charge rate is held as better when higher; this row says lower"),
    ("Charge rate,Cambridgeshire,Jun 2022,5,parsecs,,", 2, "unit", "constraint-error",
     "'parsecs' is not a unit. Use %, days, count or rate"),
    ("Charge rate,Cambridgeshire,Jun 2022,5,,sideways,", 2, "better", "constraint-error",
     "does not say which way is better"),
    (",Cambridgeshire,,,,,capital", 2, "area_type", "constraint-error", "is not a kind of area"),
    (",Cambridgeshire,,,,,national", 2, "area_type", "constraint-error",
     "Cambridgeshire is held as own; this row says national"),
    ("Stop rate,,,,%,,", 2, "better", "constraint-error",
     "To define the measure Stop rate, say which way is better"),
    ("Stop rate,,,,,higher,", 2, "unit", "constraint-error",
     "To define the measure Stop rate, give its unit"),
    ("Stop rate,,,,%,higher,\nStop rate,,,,count,higher,", 3, "unit", "constraint-error",
     "Rows of this file define Stop rate differently"),
    (",Norfolk,,,,,other\n,Norfolk,,,,,national", 3, "area_type", "constraint-error",
     "Rows of this file give Norfolk different kinds"),
    ("Days to charge,Cambridgeshire,Jun 2022,-4,,,", 2, "value", "constraint-error",
     "which cannot be negative"),
    (",,,,,,", 2, None, "constraint-error", None),  # placeholder: replaced below
    ("Charge rate,Cambridgeshire,Jun 2022,5,,,\nCharge rate,Cambridgeshire,2022-06,5.2,,,",
     3, "period", "duplicate-row", "appears more than once: rows 2 and 3"),
    ("Charge rate,Cambridgeshire,Jun 2022,5,,,,extra", 2, None, "extra-cell",
     "more cells than the header"),
    ("Charge rate,Cambridgeshire,Jun 2022,5,,,\n\nCharge rate,Cambridgeshire,Jul 2022,5,,,",
     3, None, "blank-row", "Row 3 is blank"),
]  # fmt: skip
PROBLEMS[21] = (
    "Charge rate,,,,,,\n,,,,,,%",
    3,
    None,
    "constraint-error",
    "has no period and no value, so it defines a measure",
)


@pytest.mark.parametrize(("rows", "row", "column", "code", "words"), PROBLEMS)
def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(
    defined: duckdb.DuckDBPyConnection,
    rows: str,
    row: int,
    column: str | None,
    code: str,
    words: str,
) -> None:
    before, held = counts(defined), figures(defined)
    text = "measure,area,period,value,unit,better,area_type\n" + rows + "\n"
    result = load(defined, "measures", text)
    assert result.status == "rejected"
    found = [p for p in result.errors if (p.row, p.column, p.code) == (row, column, code)]
    assert found, [(p.row, p.column, p.code, p.message) for p in result.errors]
    assert words in found[0].message
    assert counts(defined) == before and figures(defined) == held


def test_a_file_from_excel_in_windows_1252_is_read_and_another_separator_refused(
    defined: duckdb.DuckDBPyConnection,
) -> None:
    text = "measure,area,period,value\nCharge rate,Cambridgeshire,Apr \u2013 Jun 2022,5\n"
    result = load(defined, "measures", text.encode("cp1252"))
    assert result.status == "committed", result.errors
    assert [f[3] for f in figures(defined)] == ["Apr - Jun 2022"]
    semicolons = load(defined, "measures", "measure;area;period;value\nCharge rate;X;Jun 2022;5\n")
    assert semicolons.status == "rejected"
    assert [(p.row, p.code) for p in semicolons.errors] == [(1, "format-error")]
    assert "separated by semicolons" in semicolons.errors[0].message


def test_a_missing_column_is_named_once(defined: duckdb.DuckDBPyConnection) -> None:
    result = load(defined, "measures", "measure,area,period\nCharge rate,Cambridgeshire,Jun 2022\n")
    assert result.status == "rejected"
    assert [(p.row, p.column, p.code) for p in result.errors] == [(1, "value", "missing-label")]


def test_warnings_do_not_stop_a_file(defined: duckdb.DuckDBPyConnection) -> None:
    committed(
        defined,
        "measures",
        "measure,area,period,value,unit,better,description\n"
        "Charge rate,Cambridgeshire,Apr - Jun 2022,5,,,\n"
        "Stop rate,,,,%,lower,Stops per search\n",
    )
    text = (
        "measure,area,period,value,description\n"
        "Charge rate,Cambridgeshire,Apr - Jun 2022,5.5,\n"  # revises the figure held
        "Charge rate,Cambridgeshire,Jul - Sep 2022,..,\n"  # none published
        "Stop rate,England and Wales,Jul - Sep 2022,6,Another description\n"
        "Charge rate,England and Wales,Oct - Dec 2022,0.07,\n"
        "Charge rate,England and Wales,Jan - Mar 2023,140,\n"
    )
    result = load(defined, "measures", text)
    assert result.status == "committed", result.errors
    said = {(p.row, p.column): p.message for p in result.warnings}
    assert (
        "revises the figure held for Charge rate in Cambridgeshire, Apr - Jun 2022, from 5.0 to 5.5"
        in said[(2, "value")]
    )
    assert "No figure was published for this row ('..')" in said[(3, "value")]
    assert "held with another description" in said[(4, "description")]
    assert "140.0 is outside 0 to 100" in said[(6, "value")]
    assert sorted(f[7] for f in figures(defined)) == [0.07, 5.5, 6.0, 140.0]
    # A measure in % whose every figure in a file is a fraction: most likely 0.074 for 7.4%.
    fractions = load(
        defined,
        "measures",
        "measure,area,period,value\nCharge rate,Norfolk,Jun 2022,0.05\n"
        "Charge rate,England and Wales,Jun 2022,0.06\n",
    )
    assert any("between 0 and 1" in p.message for p in fractions.warnings)


def test_figures_already_held_add_nothing_and_say_so(defined: duckdb.DuckDBPyConnection) -> None:
    text = "measure,area,period,value\nCharge rate,Cambridgeshire,Apr - Jun 2022,5\n"
    committed(defined, "measures", text)
    again = text + "Charge rate,Cambridgeshire,Jul - Sep 2022,6\n"
    result = load(defined, "measures", again, "second.csv")
    assert result.status == "committed"
    assert result.inserted == 1
    assert [p.message for p in result.warnings] == [
        "1 row(s) repeat figures already held, from row 2; they add nothing."
    ]


# --- The same file twice, undo -------------------------------------------------------------


def test_the_same_file_twice_adds_nothing(defined: duckdb.DuckDBPyConnection) -> None:
    text = "measure,area,period,value\nCharge rate,Cambridgeshire,Apr - Jun 2022,5\n"
    first = committed(defined, "measures", text)
    before = counts(defined)
    again = load(defined, "measures", text, "renamed.csv")
    assert again.status == "duplicate"
    assert f"already imported as batch {first}" in again.warnings[0].message
    assert counts(defined) == before


def test_undo_takes_a_revision_back_and_the_figure_held_before_returns(
    defined: duckdb.DuckDBPyConnection,
) -> None:
    committed(
        defined,
        "measures",
        "measure,area,period,value\nCharge rate,Cambridgeshire,Apr - Jun 2022,5\n",
    )
    revised = committed(
        defined,
        "measures",
        "measure,area,period,value\nCharge rate,Cambridgeshire,Apr - Jun 2022,5.4\n",
    )
    assert [f[7] for f in figures(defined)] == [5.4]
    ingest.undo_batch(defined, revised, "test")
    assert [f[7] for f in figures(defined)] == [5.0]
    assert defined.execute(
        "select status, reverted_by from import_batches where batch_id = ?", [revised]
    ).fetchall() == [("reverted", "test")]


def test_undo_of_the_file_that_defined_a_measure_waits_for_the_files_that_use_it(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    defining = committed(fixture_db, "measures", DEFINITIONS)
    using = committed(
        fixture_db, "measures", "measure,area,period,value\nCharge rate,Cambridgeshire,Jun 2022,5\n"
    )
    linking = committed(fixture_db, "links", "recommendation_id,measure\nRAPE1-R4,Days to charge\n")
    with pytest.raises(TrackerError, match=rf"later batches use \({using}, {linking}\)"):
        ingest.undo_batch(fixture_db, defining, "test")
    ingest.undo_batch(fixture_db, linking, "test")
    ingest.undo_batch(fixture_db, using, "test")
    ingest.undo_batch(fixture_db, defining, "test")
    for view in ("measures", "areas", "measure_values_in_force", "measure_links"):
        assert fixture_db.execute(f"select count(*) from {view}").fetchall() == [(0,)]
    # Nothing was deleted: the records are all still there, their batches reverted.
    assert counts(fixture_db)["measure_records"] == 2


def test_only_the_chair_imports_measures_and_links(
    defined: duckdb.DuckDBPyConnection,
) -> None:
    add_test_accounts(defined)
    lead = auth.get_user(defined, "lead")
    assert lead is not None
    for kind, text in (
        ("measures", DEFINITIONS),
        ("links", "recommendation_id,measure\nRAPE1-R1,Charge rate\n"),
    ):
        with pytest.raises(NotAllowed, match="cannot upload"):
            ingest.import_file(defined, kind, "f.csv", text.encode(), imported_by=lead)


# --- Links ---------------------------------------------------------------------------------

LINKS_HEADER = "recommendation_id,measure,breakdown,expected,note\n"


@pytest.mark.parametrize(
    ("rows", "row", "column", "code", "words"),
    [
        ("RAPE1-R99,Charge rate,,rise,", 2, "recommendation_id", "foreign-key",
         "No recommendation 'RAPE1-R99' is held"),
        (",Charge rate,,rise,", 2, "recommendation_id", "constraint-error",
         "recommendation_id is empty"),
        ("RAPE1-R4,Conviction rate,,rise,", 2, "measure", "foreign-key",
         "No measure 'Conviction rate' is held"),
        ("RAPE1-R4,,,rise,", 2, "measure", "constraint-error", "measure is empty"),
        ("RAPE1-R4,Charge rate,,sideways,", 2, "expected", "constraint-error",
         "'sideways' is not a direction"),
        ("RAPE1-R4,Charge rate,,rise,\nrape1-r4 ,charge RATE,,fall,", 3, "measure", "duplicate-row",
         "rows 2 and 3"),
    ],
)  # fmt: skip
def test_a_links_file_names_every_problem(
    defined: duckdb.DuckDBPyConnection,
    rows: str,
    row: int,
    column: str,
    code: str,
    words: str,
) -> None:
    result = load(defined, "links", LINKS_HEADER + rows + "\n")
    assert result.status == "rejected"
    found = [p for p in result.errors if (p.row, p.column, p.code) == (row, column, code)]
    assert found, [(p.row, p.column, p.code, p.message) for p in result.errors]
    assert words in found[0].message
    assert counts(defined)["measure_link_records"] == 0


def test_links_by_upload_take_the_measures_rule_and_warn_what_they_skip_or_change(
    defined: duckdb.DuckDBPyConnection,
) -> None:
    committed(
        defined,
        "measures",
        "measure,area,period,value,breakdown\nCharge rate,Cambridgeshire,Jun 2022,5,Adult rape\n",
    )
    first = load(
        defined,
        "links",
        LINKS_HEADER + "RAPE1-R4,Charge rate,adult RAPE,,why\nRAPE1-R4,Days to charge,,,\n",
    )
    assert first.status == "committed", first.errors
    assert [p.message for p in first.warnings] == [
        "No figures of Days to charge without a breakdown are held yet; the link is kept "
        "and its chart stays empty until they are."
    ]
    assert defined.execute(
        "select measure_id, breakdown, expected, note from measure_links order by 1"
    ).fetchall() == [
        ("charge rate", "Adult rape", "rise", "why"),  # the held spelling; higher is better
        ("days to charge", "", "fall", None),  # lower is better
    ]
    second = load(
        defined,
        "links",
        LINKS_HEADER + "RAPE1-R4,Charge rate,Adult rape,rise,\nRAPE1-R4,Days to charge,,rise,\n",
        "second.csv",
    )
    assert second.status == "committed"
    assert second.inserted == 1
    assert sorted(p.message for p in second.warnings) == [
        "No figures of Days to charge without a breakdown are held yet; the link is kept "
        "and its chart stays empty until they are.",
        "RAPE1-R4 is already linked to Charge rate (expected to rise); this row is skipped.",
        "RAPE1-R4 is linked to Days to charge expecting it to fall; this row changes that to rise.",
    ]
    ingest.undo_batch(defined, second.batch_id or 0, "test")
    assert defined.execute(
        "select expected from measure_links where measure_id = 'days to charge'"
    ).fetchall() == [("fall",)]


def test_the_chair_links_and_unlinks_on_the_page_each_a_batch_with_its_history(
    defined: duckdb.DuckDBPyConnection,
) -> None:
    add_test_accounts(defined)
    chair, member = auth.get_user(defined, "chair"), auth.get_user(defined, "member")
    assert chair is not None and member is not None
    wanted = measures.Link("RAPE1-R2", "days to charge", "", None, "shorter waits")
    with pytest.raises(NotAllowed, match="cannot link a recommendation"):
        measures.link(defined, member, wanted)
    linked = measures.link(defined, chair, wanted)
    assert defined.execute("select rec_id, expected, note from measure_links").fetchall() == [
        ("RAPE1-R2", "fall", "shorter waits")
    ]
    with pytest.raises(TrackerError, match="already linked"):
        measures.link(defined, chair, wanted)
    unlinked = measures.unlink(defined, chair, wanted)
    assert defined.execute("select count(*) from measure_links").fetchall() == [(0,)]
    with pytest.raises(TrackerError, match="is not linked"):
        measures.unlink(defined, chair, wanted)
    # Both are records with their batches, and undoing the unlink brings the link back.
    assert defined.execute(
        "select l.linked, b.kind, b.imported_by from measure_link_records as l"
        " join import_batches as b using (batch_id) order by l.record_id"
    ).fetchall() == [(True, "links", "chair"), (False, "links", "chair")]
    ingest.undo_batch(defined, unlinked, "chair")
    assert defined.execute("select rec_id from measure_links").fetchall() == [("RAPE1-R2",)]
    events = defined.execute(
        "select actor, outcome from audit_events where action = 'measure-link' order by event_id"
    ).fetchall()
    assert events == [("member", "refused"), ("chair", "linked"), ("chair", "unlinked")]
    assert linked < unlinked
    with pytest.raises(TrackerError, match="no measure"):
        measures.link(defined, chair, measures.Link("RAPE1-R2", "no such measure"))
    with pytest.raises(TrackerError, match="no recommendation"):
        measures.link(defined, chair, measures.Link("RAPE1-R99", "days to charge"))


def test_a_links_file_rows_are_written_as_records_of_one_batch(
    defined: duckdb.DuckDBPyConnection,
) -> None:
    batch = committed(
        defined, "links", LINKS_HEADER + "RAPE1-R1,Charge rate,,,\nRAPE1-R2,Charge rate,,,\n"
    )
    assert defined.execute(
        "select count(*), min(batch_id), max(batch_id) from measure_link_records"
    ).fetchall() == [(2, batch, batch)]
    assert store.run_query(defined, "measure_links_of_recommendation", rec_id="RAPE1-R1")[
        "name"
    ].tolist() == ["Charge rate"]


def test_the_templates_name_every_column_and_say_what_each_takes() -> None:
    from cjb_tracker import upload_templates
    from cjb_tracker.formats import FORMATS

    for kind in ("measures", "links"):
        files = upload_templates.template_files(kind, None, None)
        assert set(files) == {f"{kind}.csv", f"{kind}.xlsx"}
        header = files[f"{kind}.csv"].decode("utf-8-sig").splitlines()[0]
        assert header.split(",") == list(FORMATS[kind].names)
        book = openpyxl.load_workbook(io.BytesIO(files[f"{kind}.xlsx"]))
        assert book.sheetnames == [kind.capitalize(), "Read me"]
        notes = list(book["Read me"].iter_rows(values_only=True))
        assert notes[0] == ("column", "required", "what to write")
        assert [row[0] for row in notes[1:]] == list(FORMATS[kind].names)
        assert all(row[2] for row in notes[1:])  # every column says what it takes
