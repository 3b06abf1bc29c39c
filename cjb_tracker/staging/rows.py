"""Row numbers: DuckDB's reader skips empty lines (and malformed rows), so the rows after
them are numbered on to match the file rows a person sees."""

from __future__ import annotations

import duckdb
import numpy as np

from cjb_tracker.store import scalar


def skipped_empty_lines(cur: duckdb.DuckDBPyConnection, data: bytes) -> list[int]:
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


def renumber_rows(cur: duckdb.DuckDBPyConnection, skipped: list[int]) -> None:
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
