"""The board pack (issue 5): PDF text and pages, self-contained HTML, the XLSX and CSV
tracker with formula-like cells neutralised, and the export command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import duckdb
import openpyxl
import pytest
from helpers import run_cli

from cjb_tracker import ingest, packs, spreadsheets, store
from cjb_tracker.errors import TrackerError

OCTOBER = "CJB:2021-10-13"
JANUARY = "CJB:2022-01-12"
SEED_IDS = [f"RAPE1-R{n}" for n in range(1, 14)]
RISKY = '=HYPERLINK("x")'
UPDATE_HEADER = "recommendation_id,meeting_date,status,update,next_steps,reported_by\n"


def add_update(con: duckdb.DuckDBPyConnection, row: str) -> None:
    data = (UPDATE_HEADER + row + "\n").encode("utf-8")
    result = ingest.import_file(con, "updates", "risky.csv", data, imported_by="test")
    assert result.status == "committed", result.errors


def pdf_text(pdf: bytes, tmp_path: Path) -> tuple[str, int]:
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    return text.decode("utf-8"), pages


def test_pdf_holds_the_date_every_recommendation_and_the_changes(
    fixture_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    text, pages = pdf_text(packs.build(fixture_db, OCTOBER, "pdf"), tmp_path)
    flat = " ".join(text.split())
    assert "13 Oct 2021" in flat
    for rec_id in SEED_IDS:
        assert rec_id in flat
    # Since July: R1 complete; R4 awaiting national action, Red, due date moved.
    for heading in ("Status changed (2)", "RAG changed (1)", "Due date changed (1)"):
        assert heading in flat
    assert "31 Dec 2021" in flat and "31 Mar 2022" in flat
    assert "Awaiting NPCC/CPS national framework" in flat
    assert "Who did not send an update (11)" in flat  # R2, R3, R5-R13 are open, no update
    # Cover, summary, two pages of changes and owed updates, overdue, one per recommendation.
    assert pages == 5 + len(SEED_IDS)
    assert "Page 1 of 18" in flat and "Page 18 of 18" in flat


def test_html_is_self_contained_and_escapes_user_text(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    add_update(fixture_db, "RAPE1-R2,12/01/2022,In progress,<img src=x.png onerror=alert(1)>,,Me")
    page = packs.build(fixture_db, JANUARY, "html").decode("utf-8")
    assert "<img" not in page
    assert "&lt;img" in page
    assert "<svg" in page  # the charts are drawn inline
    assert page.count('class="page rec"') == len(SEED_IDS)


def test_html_makes_no_outside_reference(fixture_db: duckdb.DuckDBPyConnection) -> None:
    page = packs.build(fixture_db, JANUARY, "html").decode("utf-8")
    assert not re.search(r"https?://", page)
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", page)


def test_xlsx_has_typed_dates_filters_and_neutralised_cells(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    add_update(
        fixture_db,
        f'RAPE1-R2,12/01/2022,In progress,"{RISKY.replace(chr(34), 2 * chr(34))}",+1 more,@me',
    )
    book = openpyxl.load_workbook(io.BytesIO(packs.build(fixture_db, JANUARY, "xlsx")))
    assert book.sheetnames == ["Tracker", "Updates"]
    sheet = book["Tracker"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)}
    assert list(rows) == SEED_IDS
    r2 = rows["RAPE1-R2"]
    assert r2["Original due"] == dt.datetime(2022, 3, 31)
    assert r2["Last update meeting date"] == dt.datetime(2022, 1, 12)
    assert (r2["Latest update"], r2["Next steps"], r2["Reported by"]) == (
        "'" + RISKY,
        "'+1 more",
        "'@me",
    )
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    updates = book["Updates"]
    assert updates.freeze_panes == "A2" and updates.auto_filter.ref
    assert updates.max_row == 1 + 6  # three in July, two in October, one in January
    stored = store.scalar(
        fixture_db,
        "select narrative from updates where rec_id = 'RAPE1-R2' and next_steps = '+1 more'",
    )
    assert stored == RISKY


def test_csv_is_the_tracker_with_neutralised_cells(fixture_db: duckdb.DuckDBPyConnection) -> None:
    add_update(fixture_db, "RAPE1-R2,12/01/2022,In progress,-2 cases,,Me")
    data = packs.build(fixture_db, JANUARY, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert [r["Recommendation ID"] for r in rows] == SEED_IDS
    assert rows[1]["Latest update"] == "'-2 cases"
    assert rows[1]["Original due"] == "2022-03-31"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+44 1223", "'+44 1223"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain = text", "plain = text"),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert spreadsheets.neutralise(value) == expected


def test_chart_labels_are_escaped_and_every_status_is_named() -> None:
    svg = packs.stacked_bars_svg([("<b>x</b>", {"In progress": 2, "Complete": 1})], "t")
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert ">In progress<" in svg and ">Complete<" in svg


def test_a_meeting_is_named_by_body_and_date() -> None:
    assert packs.meeting_id_of(" cjb:2021-10-13 ") == OCTOBER
    with pytest.raises(TrackerError, match="e.g. CJB:2026-10-14"):
        packs.meeting_id_of("13/10/2021")


def test_export_pack_command_writes_the_file(fixture_db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.html"
    done = run_cli("export", "pack", "--meeting", OCTOBER, "--format", "html", "--out", str(out),
               "--db", str(fixture_db_path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_pack_of_an_unknown_meeting_is_refused(
    fixture_db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pack.xlsx"
    done = run_cli("export", "pack", "--meeting", "CJB:2021-10-14", "--format", "xlsx",
               "--out", str(out), "--db", str(fixture_db_path))  # fmt: skip
    assert done.returncode == 1
    assert "There is no meeting CJB:2021-10-14" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_meetings_page_offers_the_pack_in_every_format(dashboard_db: Path) -> None:
    from helpers import sign_in
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).parents[1] / "dashboard.py"), default_timeout=60)
    sign_in(at, "member")  # a member may download the pack
    at.query_params.update({"meeting": OCTOBER})
    at.switch_page("pages/3_meetings.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # Links to the server's /api/pack, which makes the pack for a live session (serve.py).
    links = [h.proto.body for h in at.get("html") if "pack-link" in h.proto.body]
    meeting = OCTOBER.replace(":", "%3A")
    for fmt, link in zip(packs.FORMATS, links, strict=True):
        assert f'href="/api/pack?meeting={meeting}&amp;format={fmt}"' in link
        assert f">Board pack ({fmt.upper()})</a>" in link


def test_a_long_chart_label_is_shortened_to_fit_beside_its_bar() -> None:
    svg = packs.stacked_bars_svg([("8 Sep 2021 — " + "x" * 60, {"Not started": 1})], "t")
    assert "8 Sep 2021 — " + "x" * 24 + "…" in svg


def test_packs_build_on_threads_sharing_one_connection(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    # The Meetings page's people build packs on threads of their own, on one connection.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(3) as pool:
        built = list(
            pool.map(lambda f: packs.build(fixture_db, OCTOBER, f), ["html", "xlsx", "csv"] * 2)
        )
    assert all(built)


# --- Outcome measures (issue 18) ------------------------------------------------------------


def add_example_measures(con: duckdb.DuckDBPyConnection, illustrative: bool) -> None:
    """data/examples' measures and links: RAPE1-R4 linked to the charge rate (Adult rape)
    and to days to charge."""
    examples = Path(__file__).parents[1] / "data" / "examples"
    for kind, name in (("measures", "measures.csv"), ("links", "links.csv")):
        result = ingest.import_path(
            con, kind, examples / name, imported_by="test", illustrative=illustrative
        )
        assert result.status == "committed", result.errors


def test_the_pack_has_an_outcomes_page_for_the_measures_linked_to_its_recommendations(
    fixture_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    add_example_measures(fixture_db, illustrative=True)
    text, pages = pdf_text(packs.build(fixture_db, JANUARY, "pdf"), tmp_path)
    flat = " ".join(text.split())
    outcomes = flat[flat.index("Outcomes: what the recommendations are meant to move") :]
    # As at the meeting (12 Jan 2022): the figures of periods that had ended by then.
    assert "Figures for periods ending by 12 Jan 2022" in outcomes
    assert "Illustrative figures, made up for the demo: not published statistics." in outcomes
    for measure in ("Charge rate (Adult rape)", "Median days from report to charge"):
        assert measure in outcomes
    assert "6% (illustrative), Oct - Dec 2021" in outcomes  # the latest, marked
    assert "England and Wales (national): 6.1% (illustrative)" in outcomes
    # Each chart's summary and its numbers.
    assert "Charge rate (Adult rape) in Cambridgeshire: 6% in Oct - Dec 2021" in outcomes
    assert "Oct - Dec 2021 6% (illustrative) 6.1% (illustrative)" in outcomes
    # Beside the recommendation, what moved since its milestone (never why).
    r4 = flat[flat.index("RAPE1-R4 — Improve case strategies") :]
    assert (
        "Since RAPE1-R4 was first reported (14 Jul 2021), the charge rate (Adult rape) in "
        "Cambridgeshire rose from 5.1% to 6% (better; the way it was meant to move)" in r4
    )
    # One more page than without measures: the outcomes page.
    assert pages == 5 + len(SEED_IDS) + 1


def test_a_pack_with_no_linked_measure_has_no_outcomes_page(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    page = packs.build(fixture_db, JANUARY, "html").decode("utf-8")
    assert "Outcomes: what the recommendations" not in page
    assert "Outcome measures it is meant to move" not in page


def test_the_xlsx_pack_holds_every_outcome_figure_and_each_links_sentence(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    add_example_measures(fixture_db, illustrative=False)
    book = openpyxl.load_workbook(io.BytesIO(packs.build(fixture_db, JANUARY, "xlsx")))
    assert book.sheetnames == ["Tracker", "Updates", "Outcomes", "Outcome links"]
    rows = list(book["Outcomes"].iter_rows(values_only=True))
    assert rows[0][:8] == (
        "Measure", "Breakdown", "Area", "Kind of area", "Period", "Period start",
        "Period end", "Value",
    )  # fmt: skip
    assert rows[1][:8] == (
        "Charge rate", "Adult rape", "Cambridgeshire", "own", "Apr - Jun 2021",
        dt.datetime(2021, 4, 1), dt.datetime(2021, 6, 30), 5.1,
    )  # fmt: skip
    assert rows[1][-1] == "no"  # not illustrative
    links = list(book["Outcome links"].iter_rows(values_only=True))
    assert [r[:4] for r in links[1:]] == [
        ("RAPE1-R4", "Charge rate", "Adult rape", "rise"),
        ("RAPE1-R4", "Median days from report to charge", None, "fall"),
    ]
