"""The pack as one self-contained HTML document: the style sheet (pack.css) inline, the charts
as inline SVG, every piece of user-written text escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from cjb_tracker import presenting, vocab
from cjb_tracker.packs.escape import esc
from cjb_tracker.packs.gather import Pack, reports_covered
from cjb_tracker.packs.svg import stacked_bars_svg, trend_lines_svg

# How many of a series' latest periods the pack's numbers table lists (the XLSX has all).
OUTCOME_PERIODS = 8


def _text(value: Any, missing: str = presenting.NOT_SET) -> str:
    shown = esc(value)
    return shown if shown else f'<span class="missing">{missing}</span>'


@cache
def _css() -> str:
    """The pack's style sheet, pack.css beside this module (package data in an install)."""
    return resources.files("cjb_tracker.packs").joinpath("pack.css").read_text(encoding="utf-8")


def render_html(pack: Pack) -> str:
    """The whole pack as one self-contained HTML document."""
    body = "\n".join(
        [
            _cover(pack),
            _summary(pack),
            _since_previous(pack),
            _overdue(pack),
            _outcomes(pack),
            *(_recommendation(pack, rec) for _, rec in pack.recommendations.iterrows()),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{esc(pack.title)}</title><style>\n{_css()}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _cover(pack: Pack) -> str:
    m = pack.meeting
    reports = "<br>".join(esc(r) for r in reports_covered(pack.recommendations)) or "None"
    previous = (
        presenting.uk_date(m["previous_held_on"]) if pd.notna(m["previous_held_on"]) else "none"
    )
    facts = [
        ("Body", f"{esc(m['body_name'])} ({esc(m['body'])})"),
        ("Meeting", f"{esc(presenting.uk_date(m['held_on']))} — {esc(m['title'])}"),
        ("Meeting id", esc(m["meeting_id"])),
        ("Position as at", esc(presenting.uk_date(pack.as_at))),
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
        for label, value, _ in presenting.headline_metrics(pack.headlines)
    )
    by_addressee = presenting.status_by_addressee_table(pack.by_addressee)
    by_meeting = presenting.status_by_meeting_table(pack.by_meeting)
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
    text = f"The {owned} recommendations {body} owns, as at {presenting.uk_date(pack.as_at)}."
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
        intro = f"Compared with the meeting of {esc(presenting.uk_date(m['previous_held_on']))}."
    else:
        intro = "This is the body's first meeting: changes are shown against the day before it."
    parts = [
        f'<section class="page"><h2>Since the previous meeting</h2><p class="caption">{intro}</p>'
    ]
    labels = {"detail": "detail / evidence / reason"}
    for kind, rows in presenting.changes_by_kind(pack.changes):
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
        f"{esc(presenting.uk_date(pack.as_at))}, most overdue first.</p>"
        f"{html_table(pack.overdue, columns, labels)}</section>"
    )


def _recommendation(pack: Pack, rec: pd.Series) -> str:
    rag = vocab.rag_label(rec["rag"] if isinstance(rec["rag"], str) else None)
    due = presenting.uk_date(rec["due"])
    if rec["overdue"]:
        due += f" — {int(rec['days_overdue'])} days overdue"
    facts = [
        ("Status", esc(rec["status"])),
        ("RAG", esc(rag) if rec["is_open"] else "— (closed)"),
        ("Addressees", _text(rec["addressees"])),
        ("Lead", _text(rec["lead"])),
        ("Owning body", esc(rec["body"])),
        ("Timescale", _text(rec["timescale"])),
        ("Original due", esc(presenting.uk_date(rec["original_due"]))),
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
        f"{_latest_update(rec)}{_linked_outcomes(pack, str(rec['rec_id']))}</section>"
    )


def _outcomes(pack: Pack) -> str:
    """The outcome measures the pack's recommendations are linked to: the table of each
    one's latest figure, change and comparator, then each one's chart, sentence and latest
    figures. Nothing when no measure is linked."""
    if pack.outcomes.empty:
        return ""
    shaped = presenting.outcomes_table(pack.outcomes)
    columns = ["measure", "direction", "latest", "change over four periods", "comparator",
               "linked recommendations"]  # fmt: skip
    notice = presenting.illustrative_notice(pack.outcomes)
    parts = [
        '<section class="page outcomes"><h2>Outcomes: what the recommendations are meant to '
        "move</h2>",
        f'<p class="caption">Figures for periods ending by {esc(presenting.uk_date(pack.as_at))}. '
        "Better or worse is by each measure's own rule; the change is over the last four "
        "periods.</p>",
        f'<p class="notice">{esc(notice)}</p>' if notice else "",
        html_table(shaped, columns, {}),
    ]
    for (_, row), series in zip(pack.outcomes.iterrows(), pack.outcome_series, strict=True):
        parts.append(_outcome_chart(row, series))
    parts.append("</section>")
    return "".join(parts)


def _outcome_chart(row: pd.Series, series: pd.DataFrame) -> str:
    from cjb_tracker import measure_charts  # the summary sentence; plotly loads only for it

    label = presenting.series_label(row["name"], row["breakdown"])
    latest = presenting.trend_numbers(series).tail(OUTCOME_PERIODS)
    return (
        f'<div class="chart outcome"><h3>{esc(label)}</h3>'
        f'<p class="caption">{esc(presenting.rule_words(str(row["unit"]), str(row["better"])))}'
        f"{' · ' + esc(row['source']) if isinstance(row['source'], str) else ''}</p>"
        f'<p class="prose">{esc(measure_charts.measure_trend_summary(series))}</p>'
        f"{trend_lines_svg(series)}"
        f'<p class="caption">The last {len(latest)} periods in the chart (every figure is in '
        "the XLSX pack's Outcomes sheet):</p>"
        f"{html_table(latest, list(latest.columns), {})}</div>"
    )


def _linked_outcomes(pack: Pack, rec_id: str) -> str:
    """What moved in each measure the recommendation is linked to, since its milestone."""
    if pack.outcome_links.empty:
        return ""
    mine = pack.outcome_links[pack.outcome_links["rec_id"] == rec_id]
    if mine.empty:
        return ""
    items = "".join(
        f"<li><b>{esc(presenting.series_label(r['name'], r['breakdown']))}</b> (meant to "
        f"{esc(r['expected'])}): {esc(r['sentence'])}</li>"
        for _, r in mine.iterrows()
    )
    return f'<h3>Outcome measures it is meant to move</h3><ul class="outcomes">{items}</ul>'


def _latest_update(rec: pd.Series) -> str:
    if pd.isna(rec["last_update_on"]):
        return '<h3>Latest update</h3><p class="none">No update has been reported.</p>'
    heading = (
        f"Latest update — {esc(presenting.uk_date(rec['last_update_on']))}, "
        f"reported by {_text(rec['reported_by'], 'unknown')}"
    )
    parts = [f"<h3>{heading}</h3>", f'<p class="prose">{_text(rec["latest_update"], "none")}</p>']
    if pd.notna(rec["revised_due"]):
        parts.append(
            f"<h3>Due date revised to {esc(presenting.uk_date(rec['revised_due']))}</h3>"
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
        return esc(presenting.uk_date(value))
    return esc(value)
