"""Turn an uploaded file (CSV or XLSX bytes) into a staging table of text cells.

The staging table `stage` holds `row_number` (the file row; the header is row 1),
`is_blank`, and one VARCHAR column per column of the file format (NULL where the file
lacks it). CSV is read by DuckDB's own reader; only the header and the encoding are
looked at in Python. XLSX has no DuckDB reader here, so openpyxl reads its cells.

The package is split by what it reads: text.py (the encoding), csv_reader.py (the header
and separator, then DuckDB's reader), rows.py (row numbers after skipped lines),
header.py (which column is which), table.py (the `stage` table and its blank rows and long
cells), xlsx_scan.py (an XLSX's zip and XML, before openpyxl) and xlsx_reader.py.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from cjb_tracker.formats import FileFormat
from cjb_tracker.problems import Problem
from cjb_tracker.staging.csv_reader import stage_csv
from cjb_tracker.staging.limits import MAX_FILE_BYTES
from cjb_tracker.staging.outcome import Rejected, Staged, format_error
from cjb_tracker.staging.rows import empty_lines
from cjb_tracker.staging.text import decode
from cjb_tracker.staging.xlsx_reader import stage_xlsx

__all__ = [
    "MAX_FILE_BYTES",
    "Rejected",
    "Staged",
    "decode",
    "empty_lines",
    "size_problem",
    "stage_file",
]


ACCEPTED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".xls", ""}


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
        raise Rejected.because("The file is empty: no data rows.")
    suffix = Path(file_name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise Rejected.because(
            f"{file_name} is not a CSV or Excel file. Upload a .csv or .xlsx file "
            "(download the template to start from one)."
        )
    if data[:4] == b"PK\x03\x04":
        return stage_xlsx(cur, fmt, data)
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise Rejected.because(
            f"{file_name} is not a valid Excel workbook. Open it in Excel and save it "
            "again as .xlsx, or save it as CSV."
        )
    if file_name.lower().endswith(".xls"):
        raise Rejected.because("Old Excel files (.xls) cannot be read. Save it as .xlsx or as CSV.")
    return stage_csv(cur, fmt, data, source)


def size_problem(size: int) -> Problem | None:
    """The problem with a file of this many bytes, if it is over the limit."""
    if size <= MAX_FILE_BYTES:
        return None
    return format_error(
        f"The file is {size / 2**20:,.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB. "
        "Split it into smaller files."
    )
