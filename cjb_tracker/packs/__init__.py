"""The board pack for one meeting: self-contained HTML (inline CSS, charts as inline SVG),
PDF printed from that HTML by headless Chromium, and the XLSX / CSV tracker.

Everything here is a function of what the read queries return for the meeting; no
Streamlit. User-written text is escaped wherever it enters HTML, and neutralised wherever
it enters a spreadsheet cell (the database keeps it exactly as written).

gather.py runs the queries; document.py (with pack.css and svg.py) writes the HTML, pdf.py
prints it, sheets.py writes the XLSX and CSV.
"""

from __future__ import annotations

import duckdb

from cjb_tracker.errors import TrackerError
from cjb_tracker.packs.document import render_html
from cjb_tracker.packs.gather import Pack, gather, meeting_id_of
from cjb_tracker.packs.pdf import render_pdf
from cjb_tracker.packs.sheets import render_csv, render_xlsx
from cjb_tracker.packs.svg import stacked_bars_svg

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "Pack",
    "build",
    "file_name",
    "gather",
    "meeting_id_of",
    "render_csv",
    "render_html",
    "render_pdf",
    "render_xlsx",
    "stacked_bars_svg",
]

FORMATS: tuple[str, ...] = ("pdf", "html", "xlsx", "csv")
MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def build(con: duckdb.DuckDBPyConnection, meeting_id: str, fmt: str) -> bytes:
    """The meeting's pack in one format, as bytes."""
    if fmt not in FORMATS:
        raise TrackerError(f"'{fmt}' is not a pack format; choose one of {', '.join(FORMATS)}.")
    # A cursor of its own: the Meetings page builds packs on download threads that share
    # the dashboard's connection, and a bare connection refuses a second caller.
    cur = con.cursor()
    try:
        pack = gather(cur, meeting_id)
    finally:
        cur.close()
    if fmt == "xlsx":
        return render_xlsx(pack)
    if fmt == "csv":
        return render_csv(pack)
    page = render_html(pack)
    if fmt == "html":
        return page.encode("utf-8")
    return render_pdf(page, footer=pack.title)


def file_name(meeting_id: str, fmt: str) -> str:
    """'CJB:2026-10-14', 'pdf' -> 'board-pack-CJB-2026-10-14.pdf'."""
    return f"board-pack-{meeting_id.replace(':', '-')}.{fmt}"
