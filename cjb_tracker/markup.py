"""The HTML the dashboard draws itself, where Streamlit's own elements would cut text off:
tables whose written text wraps in full, the Overview's progress grid, and presenting
mode's screen. Pure functions returning a string for st.html (which sanitises it again).

Every value is escaped here (html.escape): what users wrote shows as the text they wrote,
never as markup. Colours come from cjb_tracker.charts, with the ink that reads on them, and
a word or letter always says what the colour says.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cjb_tracker import charts, presenting, vocab
from cjb_tracker.presenting.progress import (
    STATUS_SHORT,
    Cell,
    grid_meetings,
    grid_recommendations,
    state,
)

if TYPE_CHECKING:
    from cjb_tracker.presenting.present import Fact

PLACEHOLDER = "—"
# A column whose text runs longer than this is given room and wraps anywhere (a long URL
# too); shorter ones wrap at spaces, and ids not at all.
LONG_TEXT = 60

_VISUALLY_HIDDEN = (
    "position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
    "clip:rect(0,0,0,0);white-space:nowrap;border:0"
)
TABLE_STYLE = f"""<style>
.cjb-wrap {{ overflow-x: auto; max-width: 100%; }}
.cjb-wrap:focus-visible {{ outline: 2px solid #0B0C0C; outline-offset: 2px; }}
table.cjb {{ border-collapse: collapse; width: 100%; font-size: 0.875rem; line-height: 1.45; }}
table.cjb th, table.cjb td {{ border: 1px solid #B1B4B6; padding: 0.3rem 0.5rem;
    text-align: left; vertical-align: top; white-space: pre-wrap; overflow-wrap: break-word; }}
table.cjb thead th {{ background: #F3F2F1; font-weight: 600; white-space: normal; }}
table.cjb td.num {{ text-align: right; white-space: nowrap; }}
table.cjb td.date {{ white-space: nowrap; }}
table.cjb td.long {{ min-width: 14em; overflow-wrap: anywhere; }}
table.cjb td.id {{ white-space: nowrap; }}
.cjb-hidden {{ {_VISUALLY_HIDDEN} }}
</style>"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


# Streamlit's sanitiser (DOMPurify, SAFE_FOR_XML) drops an attribute whose value holds
# '</script' (or style, title, ...), '-->' or ']>', as such text could close a tag in XML.
# An invisible word joiner inside keeps a hover text that quotes one, reading the same.
_CLOSES_A_TAG = re.compile(r"(<)(/)|(--!?|\])(>)")


def attribute(value: Any) -> str:
    """User text for an attribute (a cell's hover text): escaped, and kept by the sanitiser."""
    text = "" if value is None else str(value)
    return esc(_CLOSES_A_TAG.sub(lambda m: "\u2060".join(g for g in m.groups() if g), text))


# --- Tables whose text wraps ----------------------------------------------------------------


def text_table(
    frame: pd.DataFrame, caption: str, dates: Iterable[str] = (), links: bool = False
) -> str:
    """A read-only table in which every cell shows all its text, wrapped: dates as
    '13 Sep 2021', counts as '1,234', a missing value as '—'. With `links`, each
    recommendation id links to its detail (in a new tab), as web.table's link column does;
    a 'link' column (presenting.with_detail_links) is not shown. (Drawn on every run of its
    page, from plain lists: a page of 100 rows costs a few milliseconds.)"""
    shown = frame.drop(columns=[c for c in ("link",) if c in frame.columns])
    names = [str(c) for c in shown.columns]
    columns = [shown[c].tolist() for c in shown.columns]
    date_columns = set(dates)
    kinds = [
        _column_kind(name, shown[name], values, name in date_columns)
        for name, values in zip(names, columns, strict=True)
    ]
    cells = [
        [_text_cell(name, value, kind, links) for value in values]
        for name, values, kind in zip(names, columns, kinds, strict=True)
    ]
    head = "".join(f'<th scope="col">{esc(name.replace("_", " "))}</th>' for name in names)
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in zip(*cells, strict=True))
    return (
        f'{TABLE_STYLE}<div class="cjb-wrap" role="region" aria-label="{esc(caption)}" '
        f'tabindex="0"><table class="cjb"><caption class="cjb-hidden">{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _column_kind(name: str, column: pd.Series, values: list[Any], is_date: bool) -> str:
    if name.endswith("_id"):
        return "id"
    if is_date or pd.api.types.is_datetime64_any_dtype(column):
        return "date"
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return "num"
    longest = max((len(v) for v in values if isinstance(v, str)), default=0)
    return "long" if longest > LONG_TEXT else "text"


def _text_cell(name: str, value: Any, kind: str, links: bool) -> str:
    if links and name == "rec_id" and isinstance(value, str):
        href = esc(presenting.detail_link(value))
        return (
            f'<td class="{kind}"><a href="{href}" target="_blank">{esc(value)}'
            '<span class="cjb-hidden"> (opens in a new tab)</span></a></td>'
        )
    return f'<td class="{kind}">{esc(_shown_value(name, value, kind))}</td>'


def _shown_value(name: str, value: Any, kind: str) -> str:
    if isinstance(value, str):
        return value
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return PLACEHOLDER
    if kind == "date" or isinstance(value, dt.date):  # (a pandas Timestamp is a date too)
        return presenting.uk_date(value)
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer | float | np.floating) and float(value).is_integer():
        whole = int(value)
        return str(whole) if name.endswith(("_id", "row")) else f"{whole:,}"
    if pd.isna(value):
        return PLACEHOLDER
    return str(value)


# --- The Overview's progress grid -----------------------------------------------------------

GRID_STYLE = """<style>
.cjb-grid-wrap { overflow-x: auto; max-width: 100%; }
.cjb-grid-wrap:focus-visible { outline: 2px solid #0B0C0C; outline-offset: 2px; }
table.cjb-grid { border-collapse: separate; border-spacing: 2px; font-size: 0.8125rem;
    line-height: 1.3; }
table.cjb-grid th { font-weight: 600; text-align: left; vertical-align: bottom;
    padding: 0.15rem 0.3rem; }
table.cjb-grid thead th.meeting { text-align: center; white-space: nowrap; font-weight: 400; }
table.cjb-grid th.rec { position: sticky; left: 0; z-index: 1; background: #FFFFFF;
    min-width: 13rem; max-width: 18rem; font-weight: 400; vertical-align: middle; }
table.cjb-grid th.rec a { font-weight: 600; }
table.cjb-grid tr.report th { padding-top: 0.6rem; border-bottom: 2px solid #0B0C0C; }
table.cjb-grid td { min-width: 2.7rem; height: 1.9rem; text-align: center;
    vertical-align: middle; white-space: nowrap; padding: 0 0.2rem; border-radius: 2px; }
table.cjb-grid td.gap { background: #FFFFFF; border: 1px dashed #767676; }
table.cjb-grid td.none { background: #FFFFFF; }
.cjb-rag { display: inline-block; min-width: 1.1em; margin-left: 0.2em; padding: 0 0.15em;
    border: 1px solid #FFFFFF; border-radius: 2px; font-weight: 600; }
.cjb-legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1.1rem; margin: 0 0 0.5rem 0;
    padding: 0; list-style: none; font-size: 0.875rem; align-items: center; }
.cjb-legend li { display: flex; align-items: center; gap: 0.35rem; margin: 0; }
.cjb-swatch { display: inline-block; min-width: 2.4rem; padding: 0.15rem 0.2rem;
    text-align: center; border-radius: 2px; font-size: 0.8125rem; }
.cjb-swatch.gap { border: 1px dashed #767676; height: 1.3rem; }
</style>"""


def _paint(fill: str) -> str:
    return f"background: {fill}; color: {charts.text_on(fill)};"


# Each status's and RAG's colour with the ink that reads on it, as classes (.cjb-s1 ...,
# .cjb-r1 ...): a page of the grid names a class per cell rather than repeating the colours.
_STATUS_CLASS = {status: f"cjb-s{i}" for i, status in enumerate(vocab.STATUSES)}
_RAG_CLASS = {rag: f"cjb-r{i}" for i, rag in enumerate(vocab.RAGS)}
COLOUR_STYLE = (
    "<style>"
    + "".join(f".{c} {{ {_paint(charts.status_mark(s))} }}" for s, c in _STATUS_CLASS.items())
    + "".join(f".{c} {{ {_paint(charts.rag_mark(r))} }}" for r, c in _RAG_CLASS.items())
    + "</style>"
)


def _status_paint(status: str) -> str:
    return _paint(charts.status_mark(status))


def _rag_chip(rag: Any) -> str:
    if rag not in _RAG_CLASS:
        return ""
    return f'<span class="cjb-rag {_RAG_CLASS[rag]}">{esc(rag[0])}</span>'


def grid_legend() -> str:
    """What each short label and colour in the grid means, and the empty cell."""
    statuses = "".join(
        f'<li><span class="cjb-swatch {_STATUS_CLASS[s]}">{esc(short)}</span>{esc(s)}</li>'
        for s, short in STATUS_SHORT.items()
    )
    rags = "".join(f"<li>{_rag_chip(rag)} {esc(vocab.rag_label(rag))}</li>" for rag in vocab.RAGS)
    gap = '<li><span class="cjb-swatch gap"></span>No update at that meeting</li>'
    gap += "<li>Blank: not yet published, or already closed</li>"
    return (
        f'{GRID_STYLE}{COLOUR_STYLE}<ul class="cjb-legend" aria-label="Key to the grid">'
        f"{statuses}{rags}{gap}</ul>"
    )


def progress_grid(grid: pd.DataFrame) -> str:
    """Recommendations down (grouped by report, by number), meetings across: each cell the
    status (its colour and short label) and RAG (a letter) reported at that meeting, an
    empty dashed cell where there was no update; hovering a cell shows that update's
    narrative; each row's id opens the recommendation (progress_grid.sql)."""
    meetings = grid_meetings(grid)
    rows = grid_recommendations(grid)
    cells = presenting.grid_cells(grid)
    head = '<th scope="col" class="rec">Recommendation</th>' + "".join(
        f'<th scope="col" class="meeting" title="{attribute(_meeting_name(m))}">'
        f"{esc(_day_month(m.held_on))}<br>{m.held_on.year}</th>"
        for m in meetings.itertuples(index=False)
    )
    width = len(meetings) + 1
    columns = [
        (m.meeting_id, pd.Timestamp(m.held_on), presenting.uk_date(m.held_on))
        for m in meetings.itertuples(index=False)
    ]
    body, report = [], None
    for rec in rows.itertuples(index=False):
        if rec.report_code != report:
            report = rec.report_code
            title = f"{rec.report_code} — {rec.report_title}" if rec.report_title else report
            body.append(
                f'<tr class="report"><th scope="colgroup" colspan="{width}">{esc(title)}</th></tr>'
            )
        marks = "".join(
            _grid_cell(cells.get((rec.rec_id, meeting_id)), held_on, when)
            for meeting_id, held_on, when in columns
        )
        body.append(f'<tr><th scope="row" class="rec">{_rec_link(rec.rec_id, rec.title)}</th>'
                    f"{marks}</tr>")  # fmt: skip
    label = "Progress of each recommendation at each meeting"
    return (
        f'{GRID_STYLE}{COLOUR_STYLE}{TABLE_STYLE}<div class="cjb-grid-wrap" role="region" '
        f'aria-label="{label}" tabindex="0"><table class="cjb-grid">'
        f'<caption class="cjb-hidden">{label}: the status and RAG reported at each meeting; '
        "an empty cell means no update at that meeting.</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _meeting_name(meeting: Any) -> str:
    return presenting.meeting_label(meeting.held_on, meeting.meeting_title)


def _day_month(held_on: Any) -> str:
    return " ".join(presenting.uk_date(held_on).split()[:2])


def _rec_link(rec_id: str, title: Any) -> str:
    href = esc(presenting.detail_link(rec_id))
    return (
        f'<a href="{href}" target="_blank">{esc(rec_id)}'
        '<span class="cjb-hidden"> (opens in a new tab)</span></a> '
        f"{esc(title)}"
    )


def _grid_cell(cell: Cell | None, held_on: pd.Timestamp, when: str) -> str:
    if cell is not None and cell.reported and cell.status is not None:
        words = state(cell.status, cell.rag)
        narrative = cell.narrative or "No narrative given."
        short = STATUS_SHORT.get(cell.status, cell.status)
        return (
            f'<td class="{_STATUS_CLASS.get(cell.status, "")}" '
            f'title="{attribute(f"{when}: {words}. {narrative}")}">'
            f'<span aria-hidden="true">{esc(short)}{_rag_chip(cell.rag)}</span>'
            f'<span class="cjb-hidden">{esc(words)}</span></td>'
        )
    gap, tip = presenting.empty_cell(cell, held_on)
    return (
        f'<td class="{gap}" title="{attribute(f"{when}: {tip}")}">'
        f'<span class="cjb-hidden">{esc(tip)}</span></td>'
    )


# --- Presenting mode's screen ---------------------------------------------------------------

PRESENT_STYLE = """<style>
.cjb-present { font-size: 26px; line-height: 1.45; color: #0B0C0C; }
.cjb-present h1 { font-size: 40px; line-height: 1.2; margin: 0.2em 0 0.4em 0; padding: 0; }
.cjb-present h2 { font-size: 32px; line-height: 1.25; margin: 0.9em 0 0.25em 0; padding: 0; }
.cjb-present p { font-size: 26px; margin: 0 0 0.4em 0; }
.cjb-present .section { font-weight: 600; margin: 0; }
.cjb-present dl { padding: 0; display: grid; grid-template-columns: max-content minmax(0, 1fr);
    gap: 0.3em 1em; margin: 0; }
.cjb-present dt { font-weight: 600; }
.cjb-present dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.cjb-present .chip { display: inline-block; padding: 0 0.35em; border-radius: 4px;
    font-weight: 600; }
.cjb-present .written { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 62em; }
.cjb-present .meta { font-style: italic; }
.cjb-present table.cjb { font-size: 26px; }
</style>"""


def present_head(item: pd.Series, section: str, facts: list[Fact]) -> str:
    """The top of a recommendation's screen: its place in the agenda, id and title, and the
    facts (status and RAG with their colour and words, due dates, lead)."""
    return (
        f'{PRESENT_STYLE}<div class="cjb-present"><p class="section">{esc(section)}</p>'
        f"<h1>{esc(item['rec_id'])}: {esc(item['title'])}</h1>"
        f"<dl>{''.join(_fact(f) for f in facts)}</dl></div>"
    )


def present_body(
    rec_id: str,
    meta: str,
    texts: list[tuple[str, str | None]],
    measures: pd.DataFrame | None,
) -> str:
    """The rest of the screen: the latest update's meta line and its written parts in full
    (each under its heading; None reads 'None given.'), and the outcome measures it is
    linked to (None, before outcome measures exist: no such section)."""
    parts = [
        '<div class="cjb-present">',
        "<h2>Latest update</h2>",
        f'<p class="meta">{esc(meta)}</p>',
    ]
    for heading, text in texts:
        if heading != "Latest update":
            parts.append(f"<h2>{esc(heading)}</h2>")
        parts.append(f'<p class="written">{esc(text or "None given.")}</p>')
    if measures is not None:
        parts.append("<h2>Outcome measures</h2>")
        if measures.empty:
            parts.append("<p>No outcome measure is linked to this recommendation.</p>")
        else:
            parts.append(text_table(measures, f"Outcome measures linked to {rec_id}"))
    parts.append("</div>")
    return "".join(parts)


def _fact(fact: Fact) -> str:
    value = esc(fact.value)
    if fact.status is not None:
        value = f'<span class="chip" style="{_status_paint(fact.status)}">{esc(fact.status)}</span>'
        value += esc(fact.value[len(fact.status) :])
    elif fact.rag:
        fill = charts.rag_mark(fact.rag)
        chip = f'<span class="chip" style="background:{fill};color:{charts.text_on(fill)}">'
        value = f"{chip}{esc(fact.rag)}</span>{esc(fact.value[len(fact.rag) :])}"
    return f"<dt>{esc(fact.label)}</dt><dd>{value}</dd>"
