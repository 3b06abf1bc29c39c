"""Row 1: which file column holds which of the format's columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cjb_tracker.formats import FileFormat
from cjb_tracker.problems import Problem
from cjb_tracker.staging.limits import MAX_COLUMNS
from cjb_tracker.staging.outcome import Rejected, Staged


def refuse_wide_header(width: int) -> None:
    if width > MAX_COLUMNS:
        raise Rejected.because(
            f"Row 1 has {width:,} columns; the limit is {MAX_COLUMNS}. "
            "Check that this is the right file.",
            row=1,
        )


def map_header(
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
        raise _header_not_found(fmt, rows)
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


def _header_not_found(fmt: FileFormat, rows: Sequence[Sequence[Any]]) -> Rejected:
    expected = ", ".join(fmt.required)
    for number, row in enumerate(rows, start=1):
        if number > 1 and sum(fmt.column_for(str(c)) is not None for c in row if c) >= 2:
            return Rejected.because(
                f"Header row not found in row 1: row {number} looks like the header. Delete "
                f"the {number - 1} row(s) above it (titles or notes) and upload again.",
                row=1,
            )
    return Rejected.because(
        f"Header row not found: row 1 should name the columns ({expected}, ...). "
        "Download the template to see the expected columns.",
        row=1,
    )
