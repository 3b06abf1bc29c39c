"""The limits an uploaded file must keep to (each refused with a sentence saying so)."""

from __future__ import annotations

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COLUMNS = 200
MAX_CELL_CHARS = 100_000
