"""What makes a file safe to open in a spreadsheet: text that Excel, LibreOffice or Sheets
would run as a formula is neutralised (BAD-INPUTS item 20, OWASP's CSV-injection advice).
Every CSV and XLSX the tracker writes goes through here; the database keeps text as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd  # the frames' type only: the audit trail imports this module

# A cell starting with one of these is a formula to Excel, LibreOffice and Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; every other
    value is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def inert(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every cell neutralised."""
    return frame.apply(lambda column: column.map(neutralise)) if len(frame) else frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), every cell neutralised."""
    return str(inert(frame).to_csv(index=False)).encode("utf-8-sig")
