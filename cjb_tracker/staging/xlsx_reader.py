"""An XLSX upload: openpyxl reads the sheet's cells, written as the text the CSV path would
have seen into `stage`."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import duckdb
import pandas as pd

from cjb_tracker.formats import FileFormat
from cjb_tracker.problems import Problem
from cjb_tracker.staging.header import map_header, refuse_wide_header
from cjb_tracker.staging.outcome import Rejected, Staged
from cjb_tracker.staging.table import blank_label_problems, create_stage, finish_stage
from cjb_tracker.staging.xlsx_scan import refuse_zip_bomb

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel writes a character XML cannot carry as it is (a carriage return, which XML reads as
# a line feed) as _xHHHH_, and a literal '_x' that looks like one as _x005F_x. openpyxl
# leaves both as written.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescaped(value: Any) -> Any:
    """A cell's text as the person typed it (Excel's _xHHHH_ escapes decoded)."""
    if isinstance(value, str) and "_x" in value:
        return _ESCAPED.sub(lambda found: chr(int(found.group(1), 16)), value)
    return value


def stage_xlsx(cur: duckdb.DuckDBPyConnection, fmt: FileFormat, data: bytes) -> Staged:
    rows = _xlsx_rows(fmt, data)
    if not rows or not any(cell not in (None, "") for cell in rows[0]):
        raise Rejected.because(
            "Row 1 of the sheet is empty; it should hold the column names.", row=1
        )
    staged = Staged()
    header = ["" if cell is None else str(cell) for cell in rows[0]]
    refuse_wide_header(len(header))
    columns = map_header(fmt, header, staged, rows[:10])
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
    create_stage(cur, fmt, columns, staged, "xlsx_rows")
    cur.unregister("xlsx_rows")
    staged.rows = finish_stage(cur, fmt, staged, [])
    staged.errors += blank_label_problems(cur, staged)
    return staged


def _xlsx_rows(fmt: FileFormat, data: bytes) -> list[tuple[Any, ...]]:
    """The cell values of the sheet that holds the format's columns."""
    import openpyxl  # imported here: slow to import, and only XLSX uploads need it

    refuse_zip_bomb(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise Rejected.because(
            "The workbook cannot be opened: it is damaged or not an Excel .xlsx file "
            f"({type(error).__name__}). Save it again from Excel, or as CSV."
        ) from error
    try:
        sheet = _choose_sheet(fmt, book)
        return [tuple(map(_unescaped, row)) for row in sheet.iter_rows(values_only=True)]
    except Rejected:
        raise
    except Exception as error:  # a sheet openpyxl cannot read (bad cell references, ...)
        raise Rejected.because(
            "The sheet cannot be read: the workbook is damaged or was not written "
            f"by Excel ({type(error).__name__}). Save it again from Excel, or as CSV."
        ) from error
    finally:
        book.close()


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
    raise Rejected.because(
        f"No sheet holds {fmt.kind}: expected a sheet named '{fmt.sheet_names[0]}'. "
        f"The workbook has: {', '.join(names)}."
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
