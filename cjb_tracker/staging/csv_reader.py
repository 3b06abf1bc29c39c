"""A CSV upload: its header and separator looked at in Python, its rows read by DuckDB's own
reader into `stage`."""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from cjb_tracker.formats import FileFormat
from cjb_tracker.problems import Problem
from cjb_tracker.staging.header import map_header, refuse_wide_header
from cjb_tracker.staging.limits import MAX_CELL_CHARS
from cjb_tracker.staging.outcome import Rejected, Staged
from cjb_tracker.staging.rows import renumber_rows, skipped_empty_lines
from cjb_tracker.staging.table import blank_label_problems, create_stage, finish_stage
from cjb_tracker.staging.text import decode, refuse_binary, refuse_nul_characters


def stage_csv(
    cur: duckdb.DuckDBPyConnection, fmt: FileFormat, data: bytes, source: Path | None
) -> Staged:
    refuse_binary(data)
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        refuse_nul_characters(data)
    if source is not None and data.isascii():
        # Plain ASCII is valid UTF-8: DuckDB reads the file as it is, so only the start
        # (for the header) is decoded here.
        text, encoding = data[: 1 << 16].decode("ascii"), "utf-8"
    else:
        text, encoding = decode(data)
        refuse_nul_characters(text)
    header = _header_cells(text)
    refuse_wide_header(_header_width(header, text, data))
    _refuse_other_separators(header, fmt, text)
    staged = Staged()
    columns = map_header(fmt, header, staged, _first_rows(text, 10))
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
        raise Rejected.because("Row 1 is empty; it should hold the column names.", row=1)
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
            raise Rejected.because(
                f"The columns are separated by {name}, not commas. Save the file as "
                "'CSV UTF-8 (comma delimited)' and upload it again.",
                row=1,
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
    refuse_wide_header(width)
    spec = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    options = f"""header = false, skip = 1, columns = {{{spec}}}, delim = ',', quote = '"',
        escape = '"', auto_detect = false, strict_mode = true,
        max_line_size = {MAX_CELL_CHARS * 4}"""
    params = {"path": str(path)}
    try:
        # Most files are well formed: read them without keeping rejects (which costs a
        # sixth more). A malformed row stops this read; the read below names every one.
        create_stage(cur, fmt, columns, staged, f"read_csv($path, {options})", params)
        rejects: list[tuple[Any, ...]] = []
    except duckdb.InvalidInputException:
        with_rejects = f"""read_csv($path, {options}, store_rejects = true,
            rejects_table = 'stage_rejects', rejects_scan = 'stage_scans')"""
        try:
            create_stage(cur, fmt, columns, staged, with_rejects, params)
        except duckdb.InvalidInputException as error:  # a shape the reader cannot recover from
            reason = str(error).splitlines()[0].removeprefix("Invalid Input Error: ")
            raise Rejected.because(
                f"The file cannot be read as CSV ({reason.rstrip('.')}). This usually "
                "means mixed line endings or a stray quote or carriage return. Open "
                "it in Excel and save it again as 'CSV UTF-8 (comma delimited)'."
            ) from error
        rejects = cur.execute(
            "select line, any_value(column_name), error_type, any_value(error_message)"
            " from stage_rejects group by line, error_type order by line"
        ).fetchall()
    staged.errors += [_reject_problem(line, name, kind, columns) for line, name, kind, _ in rejects]
    skipped = sorted({line for line, *_ in rejects} | set(skipped_empty_lines(cur, data)))
    if skipped:
        renumber_rows(cur, skipped)
    staged.rows = finish_stage(cur, fmt, staged, skipped)
    staged.errors += blank_label_problems(cur, staged)


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
