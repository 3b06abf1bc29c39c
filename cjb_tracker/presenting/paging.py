"""Long lists a page at a time: how many rows a page holds, how many a list has in all,
and the caption under a page of them."""

from __future__ import annotations

import pandas as pd

# The rows a table draws at a time. A national view holds 50,000 recommendations: sending
# them all to the browser on every rerun is what makes a page slow, so a long table is read
# a page at a time (Previous / Next), and the filters and the search narrow it. The list
# queries take the page as $limit and $offset and say how many rows there are in all
# (total_rows, or kind_total for the meeting's changes).
PAGE_ROWS = 100
# Columns a list query adds to say how many rows there are in all: not shown.
_COUNT_COLUMNS = ["total_rows", "kind_total"]


def total_rows(frame: pd.DataFrame) -> int:
    """How many rows a list query found in all (it returns one page of them)."""
    for column in _COUNT_COLUMNS:
        if column in frame.columns and len(frame):
            return int(frame[column].iloc[0])
    return len(frame)


def without_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows to draw, without the count columns."""
    return frame.drop(columns=[c for c in _COUNT_COLUMNS if c in frame.columns])


SIDEBAR_FILTERS = "the filters in the sidebar"


def page_caption(
    offset: int,
    shown: int,
    total: int,
    searchable: bool = False,
    narrowed_by: str | None = SIDEBAR_FILTERS,
) -> str | None:
    """'Rows 101 to 200 of 50,013.' under a table that holds more than one page (None for
    a table shown whole), and how to narrow it: by the filters that narrow it (the
    sidebar's, unless told; None for a list no filter narrows), and by the search only
    where the page has one."""
    if offset == 0 and shown >= total:
        return None
    rows = f"Rows {offset + 1:,} to {offset + shown:,} of {total:,}."
    ways = [way for way in (narrowed_by, "the search" if searchable else None) if way]
    if not ways:
        return f"{rows} Use Previous and Next."
    return f"{rows} Use Previous and Next, or narrow them with {' or '.join(ways)}."
