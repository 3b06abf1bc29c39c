"""The board pack for one meeting: self-contained HTML (inline CSS, charts as inline SVG),
PDF printed from that HTML by headless Chromium, and the XLSX / CSV tracker.

Everything here is a function of what the read queries return for the meeting; no
Streamlit. User-written text is escaped wherever it enters HTML, and neutralised wherever
it enters a spreadsheet cell (the database keeps it exactly as written).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cjb_tracker import spreadsheets, store, views, vocab
from cjb_tracker.errors import TrackerError

FORMATS: tuple[str, ...] = ("pdf", "html", "xlsx", "csv")
MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
CHROMIUM = os.environ.get("CJB_TRACKER_CHROMIUM", "/usr/bin/chromium")
LAST_MEETINGS = 8  # how many meetings the summary's "status across meetings" chart shows
_MEETING_ID = re.compile(r"^[A-Z][A-Z0-9-]*:\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Pack:
    """What one meeting's pack shows, as the read queries return it."""

    meeting: pd.Series  # a meeting_list row, plus body_name
    as_at: dt.date
    illustrative: bool
    headlines: pd.DataFrame
    by_addressee: pd.DataFrame
    by_meeting: pd.DataFrame
    changes: pd.DataFrame
    owed: pd.DataFrame
    overdue: pd.DataFrame
    recommendations: pd.DataFrame
    updates: pd.DataFrame

    @property
    def meeting_id(self) -> str:
        return str(self.meeting["meeting_id"])

    @property
    def title(self) -> str:
        return f"{self.meeting['body']} board pack, {views.uk_date(self.meeting['held_on'])}"


# --- Gathering ------------------------------------------------------------------------


def meeting_id_of(text: str) -> str:
    """'cjb:2026-10-14' -> 'CJB:2026-10-14'; anything else is a sentence, not a traceback."""
    cleaned = text.strip()
    body, _, date = cleaned.partition(":")
    candidate = f"{body.upper()}:{date}"
    if not _MEETING_ID.match(candidate):
        raise TrackerError(
            f"'{text}' does not name a meeting; write the body and the date, e.g. CJB:2026-10-14."
        )
    return candidate


def gather(con: duckdb.DuckDBPyConnection, meeting_id: str, as_at: dt.date | None = None) -> Pack:
    """Run every query the pack needs for one meeting, as at its date unless told."""
    meeting = _meeting(con, meeting_id)
    when = as_at or pd.Timestamp(meeting["held_on"]).date()
    everyone = {"report": None, "body": None, "addressee": None, "lead": None}
    by_body = {**everyone, "body": meeting["body"], "as_at": when}
    recommendations = store.run_query(
        con, "pack_recommendations", meeting_id=meeting_id, as_at=when
    )
    # (limit None: a pack lists every row, where a page shows views.PAGE_ROWS at a time)
    every = {"limit": None, "offset": 0}
    overdue = store.run_query(con, "overdue_recommendations", **everyone, as_at=when, **every)
    return Pack(
        meeting=meeting,
        as_at=when,
        illustrative=bool(store.run_query(con, "illustrative_batches")["batches"].iloc[0]),
        headlines=store.run_query(con, "headline_counts", **by_body),
        by_addressee=store.run_query(con, "status_by_addressee", **by_body),
        by_meeting=last_meetings(store.run_query(con, "status_by_meeting", **by_body)),
        changes=store.run_query(
            con, "meeting_changes", meeting_id=meeting_id, **everyone, limit=None, offsets=None
        ),
        owed=store.run_query(con, "updates_owed", meeting_id=meeting_id, **everyone, **every),
        overdue=overdue[overdue["rec_id"].isin(recommendations["rec_id"])].reset_index(drop=True),
        recommendations=recommendations,
        updates=store.run_query(con, "pack_updates", meeting_id=meeting_id, as_at=when),
    )


def _meeting(con: duckdb.DuckDBPyConnection, meeting_id: str) -> pd.Series:
    meetings = store.run_query(con, "meeting_list")
    found = meetings[meetings["meeting_id"] == meeting_id]
    if found.empty:
        raise TrackerError(
            f"There is no meeting {meeting_id}. Meetings are named by body and date, "
            "e.g. CJB:2026-10-14; add it with a meetings file first."
        )
    row = found.iloc[0].copy()
    name = store.scalar(con, "select name from bodies where body = ?", [row["body"]])
    row["body_name"] = name or row["body"]
    return row


def last_meetings(by_meeting: pd.DataFrame, count: int = LAST_MEETINGS) -> pd.DataFrame:
    """Only the rows of the latest `count` meetings in status_by_meeting's result."""
    keep = by_meeting["meeting_id"].drop_duplicates().tail(count)
    return by_meeting[by_meeting["meeting_id"].isin(keep)].reset_index(drop=True)


def reports_covered(recommendations: pd.DataFrame) -> list[str]:
    """'RAPE1 — title' for each report the pack's recommendations come from."""
    reports = recommendations[["report_code", "report_title"]].drop_duplicates("report_code")
    return [
        f"{code} — {title}" if isinstance(title, str) else str(code)
        for code, title in zip(reports["report_code"], reports["report_title"], strict=True)
    ]


# --- HTML -----------------------------------------------------------------------------


def esc(value: Any) -> str:
    """User text made inert in HTML; a missing value is an empty string."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _text(value: Any, missing: str = views.NOT_SET) -> str:
    shown = esc(value)
    return shown if shown else f'<span class="missing">{missing}</span>'


_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt;
  color: #000; margin: 0; line-height: 1.35; }
h1 { font-size: 22pt; margin: 0 0 6mm 0; }
h2 { font-size: 15pt; margin: 0 0 3mm 0; border-bottom: 1.5pt solid #000; padding-bottom: 1mm; }
h3 { font-size: 11.5pt; margin: 4mm 0 1.5mm 0; }
section.page { break-before: page; }
section.cover { padding-top: 40mm; }
.cover dl { display: grid; grid-template-columns: 48mm 1fr; gap: 2mm 4mm; font-size: 12pt; }
.cover dt { font-weight: bold; }
.cover dd { margin: 0; }
.notice { border: 1.5pt solid #000; padding: 3mm; margin-top: 10mm; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm 0; font-size: 8.5pt; }
th, td { border: 0.5pt solid #555; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
td.num, th.num { text-align: right; }
td.nowrap { white-space: nowrap; }
tr { break-inside: avoid; }
.none { font-style: italic; margin: 0 0 3mm 0; }
.missing { font-style: italic; color: #444; }
.headlines { display: grid; grid-template-columns: repeat(6, 1fr); gap: 2mm; margin-bottom: 4mm; }
.headline { border: 1pt solid #000; padding: 2mm; text-align: center; }
.headline .value { font-size: 18pt; font-weight: bold; display: block; }
.headline .label { font-size: 8pt; }
.chart { break-inside: avoid; margin-bottom: 3mm; }
.chart svg { display: block; max-width: 100%; }
.facts { display: grid; grid-template-columns: 34mm 1fr; gap: 1mm 3mm; margin: 2mm 0; }
.facts dt { font-weight: bold; }
.facts dd { margin: 0; }
.prose { white-space: pre-wrap; margin: 0 0 2mm 0; }
.rectext { font-size: 9pt; border-left: 2pt solid #000; padding-left: 3mm; margin: 2mm 0; }
.caption { font-size: 8.5pt; margin: 0 0 2mm 0; }
"""


def render_html(pack: Pack) -> str:
    """The whole pack as one self-contained HTML document."""
    body = "\n".join(
        [
            _cover(pack),
            _summary(pack),
            _since_previous(pack),
            _overdue(pack),
            *(_recommendation(pack, rec) for _, rec in pack.recommendations.iterrows()),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{esc(pack.title)}</title><style>{_CSS}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _cover(pack: Pack) -> str:
    m = pack.meeting
    reports = "<br>".join(esc(r) for r in reports_covered(pack.recommendations)) or "None"
    previous = views.uk_date(m["previous_held_on"]) if pd.notna(m["previous_held_on"]) else "none"
    facts = [
        ("Body", f"{esc(m['body_name'])} ({esc(m['body'])})"),
        ("Meeting", f"{esc(views.uk_date(m['held_on']))} — {esc(m['title'])}"),
        ("Meeting id", esc(m["meeting_id"])),
        ("Position as at", esc(views.uk_date(pack.as_at))),
        ("Previous meeting", esc(previous)),
        ("Reports covered", reports),
        ("Recommendations", str(len(pack.recommendations))),
        ("Data", "ILLUSTRATIVE demo data" if pack.illustrative else "Recorded updates"),
    ]
    notice = (
        '<p class="notice">Illustrative: this pack includes made-up demonstration data. '
        "It does not report real progress.</p>"
        if pack.illustrative
        else ""
    )
    rows = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    return (
        f'<section class="cover"><h1>{esc(m["body_name"])}<br>Board pack</h1>'
        f"<dl>{rows}</dl>{notice}</section>"
    )


def _summary(pack: Pack) -> str:
    boxes = "".join(
        f'<div class="headline"><span class="value">{value}</span>'
        f'<span class="label">{esc(label)}</span></div>'
        for label, value, _ in views.headline_metrics(pack.headlines)
    )
    by_addressee = views.status_by_addressee_table(pack.by_addressee)
    by_meeting = views.status_by_meeting_table(pack.by_meeting)
    addressee_rows = [
        (f"{a} ({s})", _counts(r)) for (s, a), r in _indexed(by_addressee, ["scope", "addressee"])
    ]
    meeting_rows = [(str(k[0]), _counts(r)) for k, r in _indexed(by_meeting, ["meeting"])]
    return (
        '<section class="page"><h2>Summary</h2>'
        f'<p class="caption">{esc(_summary_scope(pack))}</p>'
        f'<div class="headlines">{boxes}</div>'
        f'<div class="chart"><h3>Status by addressee</h3>'
        f"{stacked_bars_svg(addressee_rows, 'addressee')}</div>"
        f'<div class="chart"><h3>Status at {esc(_meetings_shown(pack, len(meeting_rows)))}</h3>'
        f"{stacked_bars_svg(meeting_rows, 'meeting')}</div>"
        "</section>"
    )


def _meetings_shown(pack: Pack, count: int) -> str:
    body = pack.meeting["body"]
    return (
        f"the one meeting of {body} so far"
        if count == 1
        else f"the last {count} meetings of {body}"
    )


def _summary_scope(pack: Pack) -> str:
    """Which recommendations the summary counts, and how that differs from the sections."""
    body, owned = pack.meeting["body"], int(pack.headlines["recommendations"].iloc[0])
    text = f"The {owned} recommendations {body} owns, as at {views.uk_date(pack.as_at)}."
    others = len(pack.recommendations) - owned
    if others > 0:
        text += (
            f" The sections that follow also cover {others} owned by other bodies"
            f" and reported to {body}."
        )
    return text


def _indexed(frame: pd.DataFrame, keys: list[str]) -> Iterable[tuple[tuple[Any, ...], pd.Series]]:
    for _, row in frame.iterrows():
        yield tuple(row[k] for k in keys), row


def _counts(row: pd.Series) -> dict[str, int]:
    return {s: int(row[s]) for s in vocab.STATUSES if s in row.index and int(row[s])}


def _since_previous(pack: Pack) -> str:
    m = pack.meeting
    if pd.notna(m["previous_held_on"]):
        intro = f"Compared with the meeting of {esc(views.uk_date(m['previous_held_on']))}."
    else:
        intro = "This is the body's first meeting: changes are shown against the day before it."
    parts = [
        f'<section class="page"><h2>Since the previous meeting</h2><p class="caption">{intro}</p>'
    ]
    labels = {"detail": "detail / evidence / reason"}
    for kind, rows in views.changes_by_kind(pack.changes):
        parts.append(f"<h3>{esc(kind)} ({len(rows):,})</h3>")
        columns = ["rec_id", "title", "lead", "before", "after", "detail"]
        parts.append(html_table(rows, columns, labels))
    parts.append(f"<h3>Who did not send an update ({len(pack.owed):,})</h3>")
    owed_columns = ["lead", "rec_id", "title", "status", "last_update_on", "due"]
    parts.append(html_table(pack.owed, owed_columns, {"last_update_on": "last update"}))
    parts.append("</section>")
    return "".join(parts)


def _overdue(pack: Pack) -> str:
    columns = [
        "rec_id", "title", "status", "lead", "due", "days_overdue",
        "original_due", "days_past_original", "revisions",
    ]  # fmt: skip
    labels = {
        "days_overdue": "days overdue (current due)",
        "original_due": "original due",
        "days_past_original": "days past original due",
    }
    return (
        f'<section class="page"><h2>Overdue ({len(pack.overdue)})</h2>'
        f'<p class="caption">Open and past the current due date as at '
        f"{esc(views.uk_date(pack.as_at))}, most overdue first.</p>"
        f"{html_table(pack.overdue, columns, labels)}</section>"
    )


def _recommendation(pack: Pack, rec: pd.Series) -> str:
    rag = vocab.rag_label(rec["rag"] if isinstance(rec["rag"], str) else None)
    due = views.uk_date(rec["due"])
    if rec["overdue"]:
        due += f" — {int(rec['days_overdue'])} days overdue"
    facts = [
        ("Status", esc(rec["status"])),
        ("RAG", esc(rag) if rec["is_open"] else "— (closed)"),
        ("Addressees", _text(rec["addressees"])),
        ("Lead", _text(rec["lead"])),
        ("Owning body", esc(rec["body"])),
        ("Timescale", _text(rec["timescale"])),
        ("Original due", esc(views.uk_date(rec["original_due"]))),
        ("Current due", esc(due)),
        ("Revisions", str(int(rec["revisions"]))),
        ("Report", esc(rec["report_code"])),
    ]
    rows = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    return (
        f'<section class="page rec" id="{esc(rec["rec_id"])}">'
        f"<h2>{esc(rec['rec_id'])} — {esc(rec['title'])}</h2>"
        f'<dl class="facts">{rows}</dl>'
        f'<p class="rectext prose">{_text(rec["text"])}</p>'
        f"{_latest_update(rec)}</section>"
    )


def _latest_update(rec: pd.Series) -> str:
    if pd.isna(rec["last_update_on"]):
        return '<h3>Latest update</h3><p class="none">No update has been reported.</p>'
    heading = (
        f"Latest update — {esc(views.uk_date(rec['last_update_on']))}, "
        f"reported by {_text(rec['reported_by'], 'unknown')}"
    )
    parts = [f"<h3>{heading}</h3>", f'<p class="prose">{_text(rec["latest_update"], "none")}</p>']
    if pd.notna(rec["revised_due"]):
        parts.append(
            f"<h3>Due date revised to {esc(views.uk_date(rec['revised_due']))}</h3>"
            f'<p class="prose">{_text(rec["revision_reason"], "no reason given")}</p>'
        )
    if isinstance(rec["evidence"], str):
        parts.append(f'<h3>Evidence</h3><p class="prose">{esc(rec["evidence"])}</p>')
    parts.append(
        f'<h3>Next steps</h3><p class="prose">{_text(rec["next_steps"], "none given")}</p>'
    )
    return "".join(parts)


def html_table(frame: pd.DataFrame, columns: list[str], labels: dict[str, str]) -> str:
    """A plain table of the given columns; dates in UK form; 'None.' when empty."""
    if frame.empty:
        return '<p class="none">None.</p>'
    head = "".join(
        f'<th class="{_align(frame[c])}">{esc(labels.get(c, c.replace("_", " ")))}</th>'
        for c in columns
    )
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{_align(frame[c])}">{_cell(row[c])}</td>' for c in columns)
        + "</tr>"
        for _, row in frame.iterrows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _align(column: pd.Series) -> str:
    # Ids and dates never break across lines: a wrapped 'RAPE1-\nR12' reads as two things.
    if column.name == "rec_id" or pd.api.types.is_datetime64_any_dtype(column):
        return "nowrap"
    return "num" if pd.api.types.is_numeric_dtype(column) and column.dtype != bool else ""


def _cell(value: Any) -> str:
    if isinstance(value, (pd.Timestamp, dt.date)):
        return esc(views.uk_date(value))
    return esc(value)


# --- SVG charts -----------------------------------------------------------------------

# One fill per status that still reads in black and white: a tint of the status colour
# under a black pattern of its own. The word is always in the legend beside the swatch.
_PATTERNS: dict[str, str] = {
    "Not started": "",
    "In progress": '<path d="M0,8 L8,0" stroke="#000" stroke-width="1.2"/>',
    "Awaiting national action": (
        '<path d="M0,8 L8,0 M0,0 L8,8" stroke="#000" stroke-width="0.9"/>'
    ),
    "Closure proposed": '<path d="M0,4 L8,4" stroke="#000" stroke-width="1.2"/>',
    "Complete": '<circle cx="4" cy="4" r="1.6" fill="#000"/>',
    "Superseded": '<path d="M4,0 L4,8" stroke="#000" stroke-width="1.2"/>',
}


def _pattern_defs(prefix: str) -> str:
    defs = []
    for status, marks in _PATTERNS.items():
        colour = _tint(vocab.STATUS_COLOURS[status])
        defs.append(
            f'<pattern id="{prefix}-{views.slug(status)}" width="8" height="8" '
            f'patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{colour}"/>'
            f"{marks}</pattern>"
        )
    return "<defs>" + "".join(defs) + "</defs>"


def _tint(colour: str) -> str:
    """The colour lightened halfway to white, so black marks and labels stay readable."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{(c + 255) // 2:02x}" for c in (red, green, blue))


def stacked_bars_svg(rows: list[tuple[str, dict[str, int]]], key: str) -> str:
    """Horizontal stacked bars, one per row, segments in vocab.STATUSES order, each labelled
    with its count; the total at the end; a legend of pattern and word above."""
    if not rows:
        return '<p class="none">No recommendations to chart.</p>'
    label_w, bar_w, row_h, legend_h, width = 250, 380, 24, 44, 680
    most = max(sum(c.values()) for _, c in rows) or 1
    present = [s for s in vocab.STATUSES if any(s in c for _, c in rows)]
    prefix = f"p-{key}"
    parts = [_pattern_defs(prefix), _legend(present, prefix, width)]
    for i, (label, counts) in enumerate(rows):
        y = legend_h + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="10.5">'
            f"{esc(_shorten(label, 38))}</text>"
        )
        x = float(label_w)
        for status in vocab.STATUSES:
            n = counts.get(status, 0)
            if not n:
                continue
            w = bar_w * n / most
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="url(#{prefix}-{views.slug(status)})" stroke="#000" stroke-width="0.8">'
                f"<title>{esc(status)}: {n:,}</title></rect>"
            )
            if w >= 14:
                parts.append(_count_label(x + w / 2, y + 16, f"{n:,}"))
            x += w
        parts.append(
            f'<text x="{x + 5:.1f}" y="{y + 16}" font-size="10.5" font-weight="bold">'
            f"{sum(counts.values()):,}</text>"
        )
    height = legend_h + len(rows) * row_h + 6
    return (
        f'<svg width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="DejaVu Sans, Arial, sans-serif">'
        + "".join(parts)
        + "</svg>"
    )


def _count_label(cx: float, y: int, text: str) -> str:
    # A white box behind the number keeps it legible on any pattern.
    w = 6.5 * len(text) + 4
    return (
        f'<rect x="{cx - w / 2:.1f}" y="{y - 10}" width="{w:.1f}" height="13" fill="#fff"/>'
        f'<text x="{cx:.1f}" y="{y}" text-anchor="middle" font-size="10">{text}</text>'
    )


def _legend(statuses: list[str], prefix: str, width: int) -> str:
    parts, x, y = [], 4.0, 6
    for status in statuses:
        span = 22 + 6.2 * len(status) + 14
        if x + span > width:
            x, y = 4.0, y + 18
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="16" height="12" '
            f'fill="url(#{prefix}-{views.slug(status)})" stroke="#000" stroke-width="0.8"/>'
            f'<text x="{x + 21:.1f}" y="{y + 10}" font-size="10.5">{esc(status)}</text>'
        )
        x += span
    return "".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- PDF ------------------------------------------------------------------------------


def render_pdf(page_html: str, footer: str) -> bytes:
    """Print the HTML to an A4 PDF with headless Chromium (through Playwright, whose footer
    template can number the pages), with every network request refused."""
    from playwright.sync_api import Error  # only printing needs it

    try:
        return _print(page_html, footer)
    except Error as error:
        raise TrackerError(
            f"The PDF could not be printed with {CHROMIUM}: {str(error).splitlines()[0]} "
            "Install Debian's chromium (apt-get install chromium), or export HTML and print it."
        ) from error


def _print(page_html: str, footer: str) -> bytes:
    from playwright.sync_api import sync_playwright

    footer_html = (
        '<div style="font-size:8pt;width:100%;margin:0 14mm;display:flex;'
        f'justify-content:space-between;"><span>{esc(footer)}</span>'
        '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span>'
        "</span></div>"
    )
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        source = Path(folder) / "pack.html"
        source.write_text(page_html, encoding="utf-8")
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            page = browser.new_page()
            page.route("http*://**", lambda route: route.abort())
            page.goto(source.as_uri(), wait_until="load")
            return page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer_html,
                prefer_css_page_size=True,
                margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
            )
        finally:
            browser.close()


# --- XLSX and CSV ---------------------------------------------------------------------


TRACKER_COLUMNS: dict[str, str] = {
    "rec_id": "Recommendation ID",
    "report_code": "Report",
    "title": "Title",
    "addressees": "Addressees",
    "lead": "Lead",
    "body": "Body",
    "status": "Status",
    "rag": "RAG",
    "timescale": "Timescale",
    "original_due": "Original due",
    "due": "Current due",
    "revisions": "Revisions",
    "overdue": "Overdue",
    "days_overdue": "Days overdue",
    "last_update_on": "Last update meeting date",
    "last_meeting_id": "Last update meeting",
    "latest_update": "Latest update",
    "next_steps": "Next steps",
    "evidence": "Evidence",
    "revised_due": "Revised due",
    "revision_reason": "Revision reason",
    "reported_by": "Reported by",
}
UPDATE_COLUMNS: dict[str, str] = {
    "rec_id": "Recommendation ID",
    "held_on": "Meeting date",
    "meeting_id": "Meeting",
    "body": "Body",
    "status": "Status",
    "rag": "RAG",
    "narrative": "Update",
    "next_steps": "Next steps",
    "revised_due": "Revised due",
    "revision_reason": "Revision reason",
    "evidence": "Evidence",
    "reported_by": "Reported by",
}
_DATE_COLUMNS = {"original_due", "due", "last_update_on", "revised_due", "held_on"}


def tracker_rows(frame: pd.DataFrame, columns: dict[str, str]) -> list[list[Any]]:
    """Header plus one list of cell values per row: dates as dates, blanks as None, text
    neutralised."""
    rows: list[list[Any]] = [list(columns.values())]
    for record in frame[list(columns)].itertuples(index=False):
        rows.append([_sheet_value(name, v) for name, v in zip(columns, record, strict=True)])
    return rows


def _sheet_value(column: str, value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column in _DATE_COLUMNS:
        return pd.Timestamp(value).date()
    if isinstance(value, bool) or hasattr(value, "item"):
        value = value.item() if hasattr(value, "item") else value
        return "yes" if value is True else "no" if value is False else value
    return spreadsheets.neutralise(value)


def render_xlsx(pack: Pack) -> bytes:
    """The tracker (one row per recommendation) and every update, as an Excel workbook."""
    book = Workbook()
    tracker = book.active
    assert tracker is not None
    tracker.title = "Tracker"
    _fill_sheet(tracker, tracker_rows(pack.recommendations, TRACKER_COLUMNS))
    _fill_sheet(book.create_sheet("Updates"), tracker_rows(pack.updates, UPDATE_COLUMNS))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_sheet(sheet: Any, rows: list[list[Any]]) -> None:
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.iter_cols(min_row=2):
        for cell in column_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, str) and len(cell.value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, header in enumerate(rows[0], start=1):
        wide = max([len(str(r[index - 1] or "")) for r in rows[:50]] + [len(header)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(wide, 10), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def render_csv(pack: Pack) -> bytes:
    """The tracker sheet as CSV (UTF-8 with BOM, so Excel reads it as UTF-8); dates ISO."""
    rows = tracker_rows(pack.recommendations, TRACKER_COLUMNS)
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    text: str = frame.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


# --- One call per format --------------------------------------------------------------


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
