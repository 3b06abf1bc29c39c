"""Turn an uploaded file (CSV or XLSX bytes) into a staging table of text cells.

The staging table `stage` holds `row_number` (the file row; the header is row 1),
`is_blank`, and one VARCHAR column per column of the file format (NULL where the file
lacks it). CSV is read by DuckDB's own reader; only the header and the encoding are
looked at in Python. XLSX has no DuckDB reader here, so openpyxl reads its cells.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import tempfile
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import charset_normalizer
import duckdb
import numpy as np
import pandas as pd

from cjb_tracker.formats import FileFormat
from cjb_tracker.problems import Problem
from cjb_tracker.store import scalar

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COLUMNS = 200
MAX_CELL_CHARS = 100_000
EXCEL_EPOCH = dt.date(1899, 12, 30)
ACCEPTED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".xls", ""}


class Rejected(Exception):
    """The file cannot be staged at all; the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "rejected")
        self.problems = problems


@dataclass
class Staged:
    rows: int = 0
    missing: list[str] = field(default_factory=list)
    unheaded: list[int] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def stage_file(
    cur: duckdb.DuckDBPyConnection,
    fmt: FileFormat,
    file_name: str,
    data: bytes,
    source: Path | None = None,
) -> Staged:
    """Create temp table `stage` from the file's bytes (and its path, when on disk)."""
    if (too_big := size_problem(len(data))) is not None:
        raise Rejected([too_big])
    if not data or data.isspace():  # (not data.strip(), without copying the file)
        raise Rejected([Problem(None, None, "format-error", "The file is empty: no data rows.")])
    suffix = Path(file_name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise Rejected(
            [
                _format_error(
                    f"{file_name} is not a CSV or Excel file. Upload a .csv or .xlsx file "
                    "(download the template to start from one)."
                )
            ]
        )
    if data[:4] == b"PK\x03\x04":
        return _stage_xlsx(cur, fmt, data)
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise Rejected(
            [
                _format_error(
                    f"{file_name} is not a valid Excel workbook. Open it in Excel and save it "
                    "again "
                    "as .xlsx, or save it as CSV."
                )
            ]
        )
    if file_name.lower().endswith(".xls"):
        raise Rejected(
            [_format_error("Old Excel files (.xls) cannot be read. Save it as .xlsx or as CSV.")]
        )
    return _stage_csv(cur, fmt, data, source)


def size_problem(size: int) -> Problem | None:
    """The problem with a file of this many bytes, if it is over the limit."""
    if size <= MAX_FILE_BYTES:
        return None
    return _format_error(
        f"The file is {size / 2**20:,.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB. "
        "Split it into smaller files."
    )


def _format_error(message: str) -> Problem:
    return Problem(None, None, "format-error", message)


# ---- CSV -------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read as: UTF-8 (BOM or not), UTF-16 with a
    BOM, or, failing UTF-8, what the charset detector finds (Windows-1252 from Excel)."""
    _refuse_binary(data)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_as(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_as(data, "utf-16"), "utf-16"
    for encoding in ("utf-8", "cp1252"):  # cp1252: what Excel on Windows writes as "CSV"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    # Neither: let the detector name the encoding (it may be another legacy code page).
    guess = charset_normalizer.from_bytes(data[: 1 << 20]).best()
    return _decode_as(data, guess.encoding if guess else "utf-8"), "detected"


# Bytes no text file holds (all but tab, line feed, form feed and carriage return below 32).
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
MAX_LISTED_ROWS = 20


def _refuse_binary(data: bytes) -> None:
    """A file whose start is more than 5% control bytes other than NUL, or more than 30%
    NULs (UTF-16 saved without a BOM), is not text; a few NULs in text are named by row
    instead (_refuse_nul_characters). UTF-16 with a BOM is text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    sample = data[:8192]
    nuls = sample.count(b"\x00")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES)) - nuls
    if controls * 20 > len(sample) or nuls * 10 > len(sample) * 3:
        raise Rejected(
            [
                _format_error(
                    "This is not a text file (it holds binary data). Upload the file saved as "
                    "'CSV UTF-8 (comma delimited)' or as an Excel workbook (.xlsx)."
                )
            ]
        )


def _refuse_nul_characters(text: str | bytes) -> None:
    """A text file with NUL characters in it (a damaged export, a paste from another
    program): each row that holds one is named; nothing is read."""
    nul = "\x00" if isinstance(text, str) else b"\x00"
    newline = "\n" if isinstance(text, str) else b"\n"
    rows: list[int] = []
    line, position, found = 1, 0, text.find(nul)  # type: ignore[arg-type]
    while found != -1 and len(rows) < MAX_LISTED_ROWS:
        line += text.count(newline, position, found)  # type: ignore[arg-type]
        if not rows or rows[-1] != line:
            rows.append(line)
        position = found
        found = text.find(nul, found + 1)  # type: ignore[arg-type]
    if rows:
        raise Rejected(
            [
                Problem(
                    row,
                    None,
                    "encoding-error",
                    f"Row {row} holds a NUL character (an invisible control code, usually "
                    "left by a damaged export or a paste from another program). Retype the "
                    "row's text, or save the file again as 'CSV UTF-8 (comma delimited)'.",
                )
                for row in rows
            ]
        )


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        raise Rejected(
            [
                Problem(
                    row,
                    None,
                    "encoding-error",
                    f"Row {row} holds bytes that are not readable text. Save the file as "
                    "'CSV UTF-8 (comma delimited)' and upload it again.",
                )
            ]
        ) from error


def _stage_csv(
    cur: duckdb.DuckDBPyConnection, fmt: FileFormat, data: bytes, source: Path | None
) -> Staged:
    _refuse_binary(data)
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _refuse_nul_characters(data)
    if source is not None and data.isascii():
        # Plain ASCII is valid UTF-8: DuckDB reads the file as it is, so only the start
        # (for the header) is decoded here.
        text, encoding = data[: 1 << 16].decode("ascii"), "utf-8"
    else:
        text, encoding = decode(data)
        _refuse_nul_characters(text)
    header = _header_cells(text)
    _refuse_wide_header(_header_width(header, text, data))
    _refuse_other_separators(header, fmt, text)
    staged = Staged()
    columns = _map_header(fmt, header, staged, _first_rows(text, 10))
    if source is not None and encoding in {"utf-8", "utf-8-sig"}:
        _read_csv_into_stage(cur, fmt, source, len(header), columns, data, staged)
        return staged
    with tempfile.TemporaryDirectory(prefix="cjb-stage-") as folder:
        path = Path(folder) / "upload.csv"
        path.write_text(text, encoding="utf-8")
        _read_csv_into_stage(cur, fmt, path, len(header), columns, text.encode("utf-8"), staged)
    return staged


def _header_cells(text: str) -> list[str]:
    rows = _first_rows(text, 1)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise Rejected(
            [Problem(1, None, "format-error", "Row 1 is empty; it should hold the column names.")]
        )
    return rows[0]


def _first_rows(text: str, count: int) -> list[list[str]]:
    prefix = text[: 1 << 16]
    try:
        return [row for _, row in zip(range(count), csv.reader(io.StringIO(prefix)), strict=False)]
    except csv.Error:
        return []


def _header_width(header: list[str], text: str, data: bytes) -> int:
    """How many columns row 1 has. The header is parsed from the first 64 kB only; a row 1
    longer than that (a very wide file) is measured by its separators instead."""
    window = text[: 1 << 16]
    if "\n" in window or "\r" in window or len(data) <= len(window):
        return len(header)
    end = data.find(b"\n")
    return max(len(header), (data if end == -1 else data[:end]).count(b",") + 1)


def _refuse_wide_header(width: int) -> None:
    if width > MAX_COLUMNS:
        raise Rejected(
            [
                Problem(
                    1,
                    None,
                    "format-error",
                    f"Row 1 has {width:,} columns; the limit is {MAX_COLUMNS}. "
                    "Check that this is the right file.",
                )
            ]
        )


def _refuse_other_separators(header: list[str], fmt: FileFormat, text: str) -> None:
    """Row 1 split on ';' or tabs names more of the format's columns than split on commas
    (one cell, or a label with a comma in it): the file uses the other separator."""
    known = sum(fmt.column_for(cell.strip()) is not None for cell in header)
    first_line = text[: 1 << 16].splitlines()[0] if text.strip() else ""
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if separator not in first_line:
            continue
        cells = next(csv.reader([first_line], delimiter=separator), [])
        if len(header) == 1 or sum(fmt.column_for(c.strip()) is not None for c in cells) > known:
            raise Rejected(
                [
                    Problem(
                        1,
                        None,
                        "format-error",
                        f"The columns are separated by {name}, not commas. Save the file as "
                        "'CSV UTF-8 (comma delimited)' and upload it again.",
                    )
                ]
            )


def _read_csv_into_stage(
    cur: duckdb.DuckDBPyConnection,
    fmt: FileFormat,
    path: Path,
    width: int,
    columns: dict[int, str],
    data: bytes,
    staged: Staged,
) -> None:
    _refuse_wide_header(width)
    spec = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    options = f"""header = false, skip = 1, columns = {{{spec}}}, delim = ',', quote = '"',
        escape = '"', auto_detect = false, strict_mode = true,
        max_line_size = {MAX_CELL_CHARS * 4}"""
    params = {"path": str(path)}
    try:
        # Most files are well formed: read them without keeping rejects (which costs a
        # sixth more). A malformed row stops this read; the read below names every one.
        _create_stage(cur, fmt, columns, staged, f"read_csv($path, {options})", params)
        rejects: list[tuple[Any, ...]] = []
    except duckdb.InvalidInputException:
        with_rejects = f"""read_csv($path, {options}, store_rejects = true,
            rejects_table = 'stage_rejects', rejects_scan = 'stage_scans')"""
        try:
            _create_stage(cur, fmt, columns, staged, with_rejects, params)
        except duckdb.InvalidInputException as error:  # a shape the reader cannot recover from
            reason = str(error).splitlines()[0].removeprefix("Invalid Input Error: ")
            raise Rejected(
                [
                    _format_error(
                        f"The file cannot be read as CSV ({reason.rstrip('.')}). This usually "
                        "means mixed line endings or a stray quote or carriage return. Open "
                        "it in Excel and save it again as 'CSV UTF-8 (comma delimited)'."
                    )
                ]
            ) from error
        rejects = cur.execute(
            "select line, any_value(column_name), error_type, any_value(error_message)"
            " from stage_rejects group by line, error_type order by line"
        ).fetchall()
    staged.errors += [_reject_problem(line, name, kind, columns) for line, name, kind, _ in rejects]
    skipped = sorted({line for line, *_ in rejects} | set(_skipped_empty_lines(cur, data)))
    if skipped:
        _renumber_rows(cur, skipped)
    staged.rows = _finish_stage(cur, fmt, staged, skipped)
    staged.errors += _blank_label_problems(cur, staged)


def _reject_problem(line: int, name: str | None, kind: str, columns: dict[int, str]) -> Problem:
    if kind == "MISSING COLUMNS":
        return Problem(
            line,
            None,
            "missing-cell",
            f"Row {line} has fewer cells than the header. Fill in the missing cells or "
            "check for a stray line break.",
        )
    if kind == "TOO MANY COLUMNS":
        return Problem(
            line,
            None,
            "extra-cell",
            f"Row {line} has more cells than the header. Check for a comma that should be "
            "inside quotes, or a value in a column with no heading.",
        )
    if kind == "UNQUOTED VALUE":
        return Problem(
            line,
            None,
            "format-error",
            f'Row {line} opens a quote (") that is never closed. Close the quote or remove it.',
        )
    if kind == "LINE SIZE OVER MAXIMUM":
        return Problem(
            line,
            None,
            "format-error",
            f"Row {line} is longer than {MAX_CELL_CHARS:,} characters. Shorten the text.",
        )
    if kind == "INVALID UNICODE":
        return Problem(
            line,
            None,
            "encoding-error",
            f"Row {line} holds bytes that are not readable text. Save as 'CSV UTF-8'.",
        )
    return Problem(
        line, None, "format-error", f"Row {line} cannot be read as CSV ({kind.lower()})."
    )


def _skipped_empty_lines(cur: duckdb.DuckDBPyConnection, data: bytes) -> list[int]:
    """The empty lines DuckDB's reader skipped. When the file has no more line feeds than
    the rows read and the header, each one ended a row (none is an empty line, nor inside
    quotes): a count of the bytes, where looking for empty lines reads the file twice."""
    rows_read = int(scalar(cur, "select count(*) from stage_rows"))
    if data.count(b"\n") <= rows_read + 1:
        return []
    return empty_lines(data)


def empty_lines(data: bytes) -> list[int]:
    """The file rows (header = row 1) that are wholly empty lines: DuckDB's reader skips
    them, so the rows after them must be numbered on. A line break inside a quoted cell (a
    paragraph break in a narrative) is part of that cell, not a row: rows are counted by
    the line breaks outside quotes (an even number of quote characters before them; a
    doubled quote inside a cell counts twice). Files with no blank line anywhere, nearly
    all, are answered by two searches."""
    if not _has_empty_line(data):
        return []
    found: list[int] = []
    row = 1
    for index, segment in enumerate(data.split(b'"')):
        if index % 2:  # inside quotes
            continue
        lines = segment.split(b"\n")
        found += [row + k for k in range(1, len(lines) - 1) if lines[k] in (b"", b"\r")]
        row += len(lines) - 1
    return found


def _has_empty_line(data: bytes, chunk: int = 1 << 22) -> bool:
    """Whether a line break is followed by another (or by CR and another) anywhere in the
    file: numpy over 4 MB at a time, where bytes.find slows on a pattern that every line end
    half-matches."""
    codes = np.frombuffer(data, dtype=np.uint8)
    for start in range(0, len(codes), chunk):
        window = codes[start : start + chunk + 2]  # overlap: a pair across the seam counts
        breaks = np.flatnonzero(window == 10)
        gaps = np.diff(breaks)
        if (gaps == 1).any():
            return True
        after_cr = breaks[:-1][gaps == 2] + 1
        if (window[after_cr] == 13).any():
            return True
    return False


def _create_stage(
    cur: duckdb.DuckDBPyConnection,
    fmt: FileFormat,
    columns: dict[int, str],
    staged: Staged,
    source: str,
    params: dict[str, Any] | None = None,
) -> None:
    """One pass from the source (DuckDB's CSV reader, or the XLSX cells) to `stage`:
    the format's columns by name, unheaded columns kept aside, and each row's number
    as if nothing was skipped (see _renumber_rows)."""
    by_name = {name: position for position, name in columns.items()}
    picked = [
        f'c{by_name[name]} as "{name}"' if name in by_name else f'null::varchar as "{name}"'
        for name in fmt.names
    ]
    picked += [f"c{position} as unheaded_{position}" for position in staged.unheaded]
    # A row is blank when every headed cell is empty or spaces. Nearly every row's first
    # cell already shows it is not (it neither starts with a space nor is empty): only the
    # rest are trimmed cell by cell (CASE evaluates its ELSE for those rows alone; trimming
    # every cell of a million rows cost as much as reading them).
    blank = " and ".join(f"coalesce(trim(c{p}), '') = ''" for p in sorted(columns))
    if columns:
        first = min(columns)
        blank = f"case when c{first} not like ' %' and c{first} <> '' then false else {blank} end"
    # No window function for the row number: the table's rowid is the order read (the
    # reader preserves insertion order), which spares a single-threaded pass.
    cur.execute(
        f"""create or replace temp table stage_rows as
        select {", ".join(picked)}, ({blank}) as is_blank
        from {source}""",
        params,
    )
    cur.execute(
        "create or replace temp view stage as select rowid + 2 as row_number, * from stage_rows"
    )


def _renumber_rows(cur: duckdb.DuckDBPyConnection, skipped: list[int]) -> None:
    """Rows DuckDB skipped (empty or malformed) shift the rows after them: the k-th row
    read is file row k + 1 + (skipped rows before it)."""
    cur.execute(
        "create or replace temp table skipped_rows as select unnest($lines) as line",
        {"lines": skipped},
    )
    cur.execute(
        """create or replace temp table renumbered as
        with gaps as (
            select line - row_number() over (order by line) + 1 as g,
                row_number() over (order by line) as before
            from skipped_rows
        ),
        steps as (select g, max(before) as before from gaps group by g)
        select r.row_number + coalesce(s.before, 0) as file_row, r.*
        from stage as r
        asof left join steps as s on r.row_number >= s.g"""
    )
    cur.execute(
        "create or replace temp view stage as"
        " select * exclude (file_row) replace (file_row as row_number) from renumbered"
    )


def _finish_stage(
    cur: duckdb.DuckDBPyConnection, fmt: FileFormat, staged: Staged, skipped: list[int]
) -> int:
    """Report blank rows between data rows and cells over the limit; return the number
    of data rows."""
    # Trailing blank rows (Excel leaves them) stay in stage and are ignored: every check
    # reads only rows that are not blank.
    last_row = int(scalar(cur, "select coalesce(max(row_number), 0) from stage where not is_blank"))
    blank_rows = [
        r
        for (r,) in cur.execute(
            "select row_number from stage where is_blank and row_number < $last order by 1",
            {"last": last_row},
        ).fetchall()
    ]
    rejected = {p.row for p in staged.errors}
    blank_rows += [line for line in skipped if line < last_row and line not in rejected]
    staged.errors += [
        Problem(
            row,
            None,
            "blank-row",
            f"Row {row} is blank, between rows with data. Delete the row or fill it in.",
        )
        for row in sorted(set(blank_rows))
    ]
    staged.errors += _long_cells(cur, fmt)
    count = int(scalar(cur, "select count(*) from stage where not is_blank"))
    if not count and not staged.errors:
        staged.errors.append(
            Problem(
                None,
                None,
                "format-error",
                "The file has a header but no data rows. Fill in at least one row.",
            )
        )
    return count


def _long_cells(cur: duckdb.DuckDBPyConnection, fmt: FileFormat) -> list[Problem]:
    # strlen (bytes, read from the string's header) is never less than length
    # (characters, counted): only cells over the limit in bytes are counted.
    lengths = ", ".join(f'coalesce(strlen("{name}"), 0)' for name in fmt.names)
    found = cur.execute(
        f"""select row_number, name
        from (
            unpivot (select * from stage where greatest({lengths}) > $limit)
            on {", ".join(f'"{n}"' for n in fmt.names)} into name name value v
        )
        where length(v) > $limit
        order by 1, 2
        limit 50""",
        {"limit": MAX_CELL_CHARS},
    ).fetchall()
    return [
        Problem(
            row,
            name,
            "constraint-error",
            f"Row {row}, {name}: the text is longer than {MAX_CELL_CHARS:,} characters. "
            "Shorten it, or attach the document as evidence instead.",
        )
        for row, name in found
    ]


def _map_header(
    fmt: FileFormat, header: list[Any], staged: Staged, rows: Sequence[Sequence[Any]]
) -> dict[int, str]:
    """Which file column (by position) holds which format column; header problems noted."""
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    for position, cell in enumerate(header):
        label = "" if cell is None else str(cell).strip()
        name = fmt.column_for(label) if label else None
        if not label:
            staged.unheaded.append(position)
        if name is None:
            if label:
                staged.warnings.append(
                    Problem(
                        1,
                        label,
                        "extra-label",
                        f"Column {position + 1} '{label}' is not one the tracker reads; "
                        "it will be ignored.",
                    )
                )
            continue
        if name in seen:
            staged.errors.append(
                Problem(
                    1,
                    name,
                    "duplicate-label",
                    f"Columns {seen[name] + 1} and {position + 1} both hold {name}. "
                    "Keep one of them.",
                )
            )
            continue
        seen[name] = position
        columns[position] = name
    if not columns:
        raise Rejected([_header_not_found(fmt, rows)])
    staged.missing = [name for name in fmt.required if name not in seen]
    staged.errors += [
        Problem(
            1,
            name,
            "missing-label",
            f"The required column {name} is missing. Add a column headed '{name}'.",
        )
        for name in staged.missing
    ]
    return columns


def _header_not_found(fmt: FileFormat, rows: Sequence[Sequence[Any]]) -> Problem:
    expected = ", ".join(fmt.required)
    for number, row in enumerate(rows, start=1):
        if number > 1 and sum(fmt.column_for(str(c)) is not None for c in row if c) >= 2:
            return Problem(
                1,
                None,
                "format-error",
                f"Header row not found in row 1: row {number} looks like the header. Delete "
                f"the {number - 1} row(s) above it (titles or notes) and upload again.",
            )
    return Problem(
        1,
        None,
        "format-error",
        f"Header row not found: row 1 should name the columns ({expected}, ...). "
        "Download the template to see the expected columns.",
    )


def _blank_label_problems(cur: duckdb.DuckDBPyConnection, staged: Staged) -> list[Problem]:
    """A column with data but no heading is an error; an empty unheaded column is not."""
    problems = []
    for position in staged.unheaded:
        has_data = scalar(
            cur, f"select count(*) from stage where coalesce(trim(unheaded_{position}), '') <> ''"
        )
        if has_data:
            problems.append(
                Problem(
                    1,
                    None,
                    "blank-label",
                    f"Column {position + 1} has data but no heading. "
                    "Give it a heading or delete it.",
                )
            )
    return problems


# ---- XLSX ------------------------------------------------------------------------------


def _stage_xlsx(cur: duckdb.DuckDBPyConnection, fmt: FileFormat, data: bytes) -> Staged:
    rows = _xlsx_rows(fmt, data)
    if not rows or not any(cell not in (None, "") for cell in rows[0]):
        raise Rejected(
            [
                Problem(
                    1,
                    None,
                    "format-error",
                    "Row 1 of the sheet is empty; it should hold the column names.",
                )
            ]
        )
    staged = Staged()
    header = ["" if cell is None else str(cell) for cell in rows[0]]
    _refuse_wide_header(len(header))
    columns = _map_header(fmt, header, staged, rows[:10])
    width = len(header)
    body = [_row_text(fmt, columns, row, width) for row in rows[1:]]
    staged.errors += [
        Problem(
            number,
            None,
            "extra-cell",
            f"Row {number} has a value beyond the last headed column. Move it or delete it.",
        )
        for number, row in enumerate(rows[1:], start=2)
        if any(cell not in (None, "") for cell in row[width:])
    ]
    frame = pd.DataFrame(body, columns=[f"c{i}" for i in range(width)], dtype="string")
    cur.register("xlsx_rows", frame)
    _create_stage(cur, fmt, columns, staged, "xlsx_rows")
    cur.unregister("xlsx_rows")
    staged.rows = _finish_stage(cur, fmt, staged, [])
    staged.errors += _blank_label_problems(cur, staged)
    return staged


def _xlsx_rows(fmt: FileFormat, data: bytes) -> list[tuple[Any, ...]]:
    """The cell values of the sheet that holds the format's columns."""
    import openpyxl  # imported here: slow to import, and only XLSX uploads need it

    _refuse_zip_bomb(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise Rejected(
            [
                _format_error(
                    "The workbook cannot be opened: it is damaged or not an Excel .xlsx file "
                    f"({type(error).__name__}). Save it again from Excel, or as CSV."
                )
            ]
        ) from error
    try:
        sheet = _choose_sheet(fmt, book)
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    except Rejected:
        raise
    except Exception as error:  # a sheet openpyxl cannot read (bad cell references, ...)
        raise Rejected(
            [
                _format_error(
                    "The sheet cannot be read: the workbook is damaged or was not written "
                    f"by Excel ({type(error).__name__}). Save it again from Excel, or as CSV."
                )
            ]
        ) from error
    finally:
        book.close()


def _refuse_zip_bomb(data: bytes) -> None:
    """Read every XML part of the workbook once, streaming, before openpyxl does: refuse
    more than MAX_XLSX_UNPACKED_BYTES unpacked (whatever sizes the zip declares), any
    DTD or entity declaration (Excel writes none; they are how XML entity bombs work),
    and a sheet row wider than MAX_COLUMNS, without holding any of it in memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(info.file_size for info in members)
            if declared > MAX_XLSX_UNPACKED_BYTES:
                raise Rejected([_unpacked_problem(declared)])
            budget = MAX_XLSX_UNPACKED_BYTES
            for info in members:
                if info.filename.lower().endswith((".xml", ".rels")):
                    budget -= _scan_xml_part(archive, info, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError) as error:
        raise Rejected(
            [
                _format_error(
                    "The file is a damaged zip/Excel file. Save it again from Excel, or as CSV."
                )
            ]
        ) from error
    except NotImplementedError as error:  # a compression method Excel does not use
        raise Rejected(
            [_format_error("The workbook is packed in a way Excel does not use. Save it again.")]
        ) from error


def _unpacked_problem(size: int) -> Problem:
    return _format_error(
        f"The workbook unpacks to {size / 2**20:,.0f} MB or more, over the limit of "
        f"{MAX_XLSX_UNPACKED_BYTES // 2**20} MB. Copy the rows into a new workbook or CSV."
    )


def _scan_xml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """Stream one XML part through expat; return its unpacked size."""
    parser = xml.parsers.expat.ParserCreate()
    is_sheet = info.filename.lower().startswith("xl/worksheets/")
    state = {"row": 0, "cells": 0}

    def refuse_dtd(*_: Any) -> None:
        raise Rejected(
            [
                _format_error(
                    f"The workbook cannot be read: its part {info.filename} declares XML "
                    "entities, which Excel never writes. Save it again from Excel, or as CSV."
                )
            ]
        )

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            row = attributes.get("r", "")
            state["row"] = int(row) if row.isdigit() else state["row"] + 1
            state["cells"] = 0
        elif local == "c":
            state["cells"] += 1
            if state["cells"] > MAX_COLUMNS:
                raise Rejected(
                    [
                        Problem(
                            state["row"],
                            None,
                            "format-error",
                            f"Row {state['row']} of the sheet has more than {MAX_COLUMNS} "
                            "cells; the limit is "
                            f"{MAX_COLUMNS} columns. Check that this is the right file.",
                        )
                    ]
                )

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    if is_sheet:
        parser.StartElementHandler = start
    size = 0
    try:
        with archive.open(info) as part:
            while chunk := part.read(1 << 20):
                size += len(chunk)
                if size > budget:
                    raise Rejected([_unpacked_problem(MAX_XLSX_UNPACKED_BYTES)])
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as error:
        raise Rejected(
            [
                _format_error(
                    f"The workbook cannot be read: its part {info.filename} is not well-formed "
                    f"XML ({xml.parsers.expat.errors.messages[error.code]}, line "
                    f"{error.lineno}). Save it again from Excel, or as CSV."
                )
            ]
        ) from error
    return size


def _choose_sheet(fmt: FileFormat, book: Any) -> Any:
    names = list(book.sheetnames)
    for name in names:
        if name.strip().lower() in fmt.sheet_names:
            return book[name]
    if len(names) == 1:
        return book[names[0]]
    for name in names:
        first = next(book[name].iter_rows(max_row=1, values_only=True), ())
        if any(fmt.column_for(str(c)) for c in first if c is not None):
            return book[name]
    raise Rejected(
        [
            _format_error(
                f"No sheet holds {fmt.kind}: expected a sheet named '{fmt.sheet_names[0]}'. "
                f"The workbook has: {', '.join(names)}."
            )
        ]
    )


def _row_text(
    fmt: FileFormat, columns: dict[int, str], row: tuple[Any, ...], width: int
) -> list[str | None]:
    cells = list(row[:width]) + [None] * max(0, width - len(row))
    return [_cell_text(cell, columns.get(i) in fmt.date_columns) for i, cell in enumerate(cells)]


def _cell_text(cell: Any, is_date: bool) -> str | None:
    """An XLSX cell as the text the CSV path would have seen."""
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if is_date else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int | float):
        if is_date and 1 <= cell < 2958466:  # an Excel serial day number
            return (EXCEL_EPOCH + dt.timedelta(days=int(cell))).isoformat()
        return str(int(cell)) if float(cell).is_integer() else str(cell)
    return str(cell)
