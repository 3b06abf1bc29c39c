"""Hostile input: sizes and shapes refused quickly, with a sentence, in bounded memory;
malformed CSV answered with row-addressed errors.

BAD-INPUTS.md items 5 (huge file, very wide file, a 5 MB cell), 6 (XLSX zip bomb, XML
entity tricks) and 12 (unterminated quotes, ';' and tab separators; with title rows above
the header and NUL bytes). Each file is imported by the command line's own path
(ingest.import_path) in a fresh Python process, which reports its outcome, the seconds
the import took, how far its peak resident memory (Python, DuckDB and the XML parser
alike) rose during the import, and the peak of Python's own allocations (tracemalloc).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from helpers import copy_of, table_counts

from cjb_tracker import ingest, staging

HEADER = "recommendation_id,meeting_date,status,rag,update"
GOOD_ROW = "RAPE1-R3,12/01/2022,In progress,Green,fine"

MEASURE = """
import json, sys, time, tracemalloc
from pathlib import Path
import openpyxl  # loaded before measuring: the import, not the library, is measured
from cjb_tracker import ingest, store

db, kind, path = sys.argv[1:4]
con = store.connect(db)
def rss_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

def read_bytes():
    for line in open("/proc/self/io"):
        if line.startswith("rchar:"):
            return int(line.split()[1])

before = rss_kb("VmRSS")  # now, not the peak so far: the rise is measured from here
tracemalloc.start()
started, cpu_started, read_before = time.monotonic(), time.process_time(), read_bytes()
try:
    outcome = ingest.import_path(con, kind, Path(path), imported_by="limits").as_dict()
except Exception as error:  # reported, so the test names it
    outcome = {"status": "exception", "error": repr(error)[:500]}
outcome["seconds"] = time.monotonic() - started
# CPU seconds, every thread's: what the import itself cost, whatever else the machine runs
outcome["cpu_seconds"] = time.process_time() - cpu_started
outcome["read_mb"] = (read_bytes() - read_before) / 2**20
outcome["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
tracemalloc.stop()
outcome["rss_before_mb"] = before / 1024
outcome["rise_mb"] = (rss_kb("VmHWM") - before) / 1024  # peak RSS above the start
con.close()
print(json.dumps(outcome))
"""


@pytest.fixture(scope="module")
def limits_db(meetings_and_leads_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed, the fixture's meetings and leads: one copy for the module's files."""
    return copy_of(meetings_and_leads_template, tmp_path_factory.mktemp("limits"), "limits.duckdb")


FIGURES: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def print_figures() -> Iterator[None]:
    yield
    print("\n" + "\n".join(FIGURES))


def measure(db: Path, path: Path, label: str, kind: str = "updates") -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(db), kind, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    FIGURES.append(
        f"{label}: {outcome['status']} in {outcome['seconds']:.2f} s "
        f"({outcome['cpu_seconds']:.2f} s of CPU, {outcome['read_mb']:.1f} MB read), "
        f"RSS {outcome['rss_before_mb']:.0f} MB before, peak RSS "
        f"{outcome['rise_mb']:+.0f} MB above it; Python allocations peaked at "
        f"{outcome['python_peak_mb']:.1f} MB"
        + (f" - {outcome['errors'][0]['message']}" if outcome.get("errors") else "")
    )
    return outcome


def refused(outcome: dict[str, Any], words: str, seconds: float, rise_mb: float) -> str:
    """The import was rejected with a sentence holding `words`, within `seconds` of CPU
    (the import's own work, not how busy the machine was) and `rise_mb` of memory; return
    that sentence."""
    assert outcome["status"] == "rejected", outcome
    messages = [e["message"] for e in outcome["errors"]]
    assert any(words in m for m in messages), messages
    assert all(m.endswith(".") and "Traceback" not in m for m in messages)
    assert outcome["cpu_seconds"] < seconds, outcome["cpu_seconds"]
    assert outcome["rise_mb"] < rise_mb, outcome["rise_mb"]
    assert outcome["python_peak_mb"] < rise_mb, outcome["python_peak_mb"]
    return str(next(m for m in messages if words in m))


# --- Huge files ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["huge.csv", "huge.xlsx"])
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    limits_db: Path, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    with path.open("wb") as handle:  # sparse: over the limit on disk, no time to write
        handle.write((HEADER + "\n" + GOOD_ROW + "\n").encode())
        handle.truncate(staging.MAX_FILE_BYTES + 2**20)
    outcome = measure(limits_db, path, f"{name} of {path.stat().st_size / 2**20:.0f} MB")
    refused(outcome, "the limit is 256 MB", seconds=2, rise_mb=32)


# --- Very wide files -------------------------------------------------------------------


def test_a_million_column_csv_header_is_refused(limits_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    header = HEADER + "," + ",".join(f"extra{i}" for i in range(1_000_000 - 5))
    path.write_text(header + "\n" + GOOD_ROW + "\n")
    outcome = measure(limits_db, path, "CSV with a 1,000,000-column header")
    sentence = refused(outcome, "the limit is 200", seconds=5, rise_mb=100)
    assert "1,000,000 columns" in sentence
    assert len(outcome["warnings"]) < 50  # not a warning per unknown column


def xlsx_with_sheet(sheet_xml: Iterator[bytes], path: Path) -> None:
    """A real workbook (saved by openpyxl) whose first sheet's XML is replaced, streamed
    into the zip so the test itself never holds it in memory."""
    book = openpyxl.Workbook()
    book.active.title = "Updates"
    book.active.append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(info.filename, "w", force_zip64=True) as sheet:
                    for chunk in sheet_xml:
                        sheet.write(chunk)
            else:
                target.writestr(info.filename, source.read(info.filename))


SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
SHEET_END = b"</sheetData></worksheet>"


def _inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_a_million_column_xlsx_header_is_refused(limits_db: Path, tmp_path: Path) -> None:
    def sheet() -> Iterator[bytes]:
        yield SHEET_START + b'<row r="1">'
        names = HEADER.split(",")
        yield b"".join(_inline(f"{_column_letters(i)}1", n) for i, n in enumerate(names))
        for start in range(5, 1_000_000, 10_000):
            yield b"".join(
                _inline(f"{_column_letters(i)}1", f"x{i}")
                for i in range(start, min(start + 10_000, 1_000_000))
            )
        yield b'</row><row r="2">'
        yield b"".join(
            _inline(f"{_column_letters(i)}2", v) for i, v in enumerate(GOOD_ROW.split(","))
        )
        yield b"</row>" + SHEET_END

    path = tmp_path / "wide.xlsx"
    xlsx_with_sheet(sheet(), path)
    outcome = measure(limits_db, path, "XLSX with a 1,000,000-column header")
    refused(outcome, "the limit is 200", seconds=20, rise_mb=100)


# --- A 5 MB cell -----------------------------------------------------------------------


def test_a_5_mb_cell_in_a_csv_is_refused_by_row(limits_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long_row = GOOD_ROW.replace("R3", "R2").replace("fine", '"' + "word " * 1_000_000 + '"')
    path.write_text("\n".join([HEADER, GOOD_ROW, long_row, GOOD_ROW.replace("R3", "R4")]) + "\n")
    outcome = measure(limits_db, path, "CSV with a 5 MB cell")
    refused(outcome, "Row 3", seconds=5, rise_mb=100)
    assert [e["row"] for e in outcome["errors"]] == [3]


def test_a_5_mb_cell_in_an_xlsx_is_refused_by_row_and_column(
    limits_db: Path, tmp_path: Path
) -> None:
    def sheet() -> Iterator[bytes]:
        yield SHEET_START
        for number, row in ((1, HEADER), (2, GOOD_ROW), (3, GOOD_ROW.replace("R3", "R2"))):
            cells = row.split(",")
            yield f'<row r="{number}">'.encode()
            for i, value in enumerate(cells):
                if number == 3 and i == 4:
                    yield b'<c r="E3" t="inlineStr"><is><t>'
                    for _ in range(100):
                        yield b"word " * 10_000
                    yield b"</t></is></c>"
                else:
                    yield _inline(f"{_column_letters(i)}{number}", value)
            yield b"</row>"
        yield SHEET_END

    path = tmp_path / "long.xlsx"
    xlsx_with_sheet(sheet(), path)
    outcome = measure(limits_db, path, "XLSX with a 5 MB cell")
    refused(outcome, "Row 3, update", seconds=10, rise_mb=150)
    assert [(e["row"], e["column"]) for e in outcome["errors"]] == [(3, "update")]


# --- Zip bombs and XML entity tricks ---------------------------------------------------


def test_an_xlsx_zip_bomb_is_refused_unopened(limits_db: Path, tmp_path: Path) -> None:
    def sheet() -> Iterator[bytes]:
        yield SHEET_START + b'<row r="1">' + _inline("A1", "recommendation_id") + b"</row>"
        for _ in range(600):  # 600 MB of blanks: deflates to well under 1 MB
            yield b" " * 2**20
        yield SHEET_END

    path = tmp_path / "bomb.xlsx"
    xlsx_with_sheet(sheet(), path)
    assert path.stat().st_size < 2**20
    outcome = measure(limits_db, path, f"XLSX zip bomb ({path.stat().st_size // 1024} kB)")
    refused(outcome, "unpacks to", seconds=2, rise_mb=32)


def test_an_xlsx_that_lies_about_its_unpacked_size_is_refused(
    limits_db: Path, tmp_path: Path
) -> None:
    # The same bomb with the central directory claiming each member is tiny: the check
    # on declared sizes passes, so reading must still stop at the limit.
    def sheet() -> Iterator[bytes]:
        yield SHEET_START + b'<row r="1">' + _inline("A1", "recommendation_id") + b"</row>"
        for _ in range(600):
            yield b" " * 2**20
        yield SHEET_END

    path = tmp_path / "liar.xlsx"
    xlsx_with_sheet(sheet(), path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    _declare_small(data, info)
    path.write_bytes(bytes(data))
    outcome = measure(limits_db, path, "XLSX zip bomb lying about its size")
    assert outcome["status"] == "rejected", outcome
    assert outcome["seconds"] < 10 and outcome["rise_mb"] < 100, outcome
    assert outcome["python_peak_mb"] < 100, outcome


def _declare_small(data: bytearray, info: zipfile.ZipInfo) -> None:
    """Rewrite the sheet's uncompressed size in the central directory to 1 kB."""
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + name_length] == info.filename.encode():
            assert data[position + 24 : position + 28] != b"\xff" * 4, "zip64 sizes"
            data[position + 24 : position + 28] = (1024).to_bytes(4, "little")
            return
        position += 4
    raise AssertionError(f"no central directory entry for {info.filename}")


LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b"]>\n"
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>recommendation_id</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def test_an_xml_entity_bomb_in_the_sheet_is_refused(limits_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "laughs.xlsx"
    xlsx_with_sheet(iter([LAUGHS]), path)
    outcome = measure(limits_db, path, "XLSX sheet with a billion-laughs entity bomb")
    refused(outcome, "declares XML entities", seconds=2, rise_mb=32)


# --- Malformed CSV (BAD-INPUTS.md item 12, and NUL bytes): each a row-addressed error ---
# (tests/test_ingest.py covers a quote left open on the last row, a header wholly in ';'
# or tabs, and a one-cell title row above the header.)

CSV_ROWS = [
    "RAPE1-R2,12/01/2022,In progress,Green,ok",
    "RAPE1-R3,12/01/2022,In progress,Green,ok",
    "RAPE1-R4,12/01/2022,In progress,Green,ok",
    "RAPE1-R5,12/01/2022,In progress,Green,ok",
]


def _csv(*rows: str, header: str = HEADER, newline: str = "\n") -> bytes:
    return (newline.join([header, *rows]) + newline).encode()


def _addressed(fixture_db: duckdb.DuckDBPyConnection, data: bytes) -> list[tuple[int | None, str]]:
    before = table_counts(fixture_db)
    result = ingest.import_file(fixture_db, "updates", "u.csv", data, imported_by="test")
    assert result.status == "rejected"
    assert table_counts(fixture_db) == before
    assert all(p.message.endswith(".") for p in result.errors)
    return [(p.row, p.code) for p in result.errors]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_quote_left_open_mid_file_is_addressed_to_its_row(
    fixture_db: duckdb.DuckDBPyConnection, newline: str
) -> None:
    rows = [*CSV_ROWS]
    rows[1] = rows[1].replace(",ok", ',"oops')  # row 3; rows 4 and 5 follow
    assert _addressed(fixture_db, _csv(*rows, newline=newline)) == [(3, "format-error")]
    rows[3] = rows[3].replace(",ok", ',"closes later"')  # a later quote does not hide it
    assert _addressed(fixture_db, _csv(*rows, newline=newline)) == [(3, "format-error")]


@pytest.mark.parametrize(("separator", "word"), [(";", "semicolons"), ("\t", "tabs")])
def test_other_separators_with_a_comma_in_a_label_are_named(
    fixture_db: duckdb.DuckDBPyConnection, separator: str, word: str
) -> None:
    # The header splits on its one comma into two cells, neither a known column: still
    # the separator is named, not "header not found", and nothing is read as one column.
    header = HEADER.replace(",", separator).replace("update", '"update, notes"')
    data = _csv(CSV_ROWS[0].replace(",", separator), header=header)
    result = ingest.import_file(fixture_db, "updates", "u.csv", data)
    assert [(p.row, p.code) for p in result.errors] == [(1, "format-error")]
    assert word in result.errors[0].message


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_data_row_in_other_separators_is_addressed(
    fixture_db: duckdb.DuckDBPyConnection, separator: str
) -> None:
    rows = [*CSV_ROWS]
    rows[2] = rows[2].replace(",", separator)  # row 4
    assert _addressed(fixture_db, _csv(*rows)) == [(4, "missing-cell")]


def test_title_rows_with_commas_above_the_header_are_named(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    data = b"RASSO tracker, January 2022,,,\n\n" + _csv(*CSV_ROWS)
    result = ingest.import_file(fixture_db, "updates", "u.csv", data)
    assert [(p.row, p.code) for p in result.errors] == [(1, "format-error")]
    assert "row 3 looks like the header" in result.errors[0].message


@pytest.mark.parametrize(
    ("where", "expected"),
    [("header", [1]), ("row 3", [3]), ("rows 3 and 5, many", [3, 5]), ("after 8 kB", [5])],
)
def test_nul_bytes_are_addressed_to_their_rows(
    fixture_db: duckdb.DuckDBPyConnection, tmp_path: Path, where: str, expected: list[int]
) -> None:
    rows, header = [*CSV_ROWS], HEADER
    if where == "header":
        header = HEADER.replace("status", "sta\x00tus")
    elif where == "row 3":
        rows[1] = rows[1].replace("ok", "o\x00k")
    elif where.startswith("rows 3 and 5"):
        rows[1] = rows[1].replace("ok", "o\x00k" * 50)
        rows[3] = rows[3].replace("ok", "\x00ok")
    else:  # past the first 8 kB, the part looked at to tell text from binary data
        header = HEADER + ",notes"
        rows = [rows[0] + "," + "n" * 9000, rows[1] + ",", rows[2] + ",", rows[3] + ",\x00"]
    data = _csv(*rows, header=header)
    assert _addressed(fixture_db, data) == [(row, "encoding-error") for row in expected]
    path = tmp_path / "nul.csv"  # from a path DuckDB reads the file itself: the same answer
    path.write_bytes(data)
    result = ingest.import_path(fixture_db, "updates", path)
    assert [(p.row, p.code) for p in result.errors] == [(r, "encoding-error") for r in expected]
