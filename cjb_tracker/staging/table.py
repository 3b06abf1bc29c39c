"""The staging table `stage`: one pass from a source (DuckDB's CSV reader, or the XLSX
cells) to a table of text cells, then the blank rows, long cells and unheaded columns in it."""

from __future__ import annotations

from typing import Any

import duckdb

from cjb_tracker.formats import FileFormat
from cjb_tracker.problems import Problem
from cjb_tracker.staging.limits import MAX_CELL_CHARS
from cjb_tracker.staging.outcome import Staged
from cjb_tracker.store import scalar


def create_stage(
    cur: duckdb.DuckDBPyConnection,
    fmt: FileFormat,
    columns: dict[int, str],
    staged: Staged,
    source: str,
    params: dict[str, Any] | None = None,
) -> None:
    """One pass from the source (DuckDB's CSV reader, or the XLSX cells) to `stage`:
    the format's columns by name, unheaded columns kept aside, and each row's number
    as if nothing was skipped (see renumber_rows)."""
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


def finish_stage(
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


def blank_label_problems(cur: duckdb.DuckDBPyConnection, staged: Staged) -> list[Problem]:
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
