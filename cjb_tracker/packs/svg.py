"""The pack's charts as inline SVG: stacked bars whose fills read in black and white, the
word for each status always in the legend beside its swatch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from cjb_tracker import presenting, vocab
from cjb_tracker.packs.escape import esc

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
            f'<pattern id="{prefix}-{presenting.slug(status)}" width="8" height="8" '
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
                f'fill="url(#{prefix}-{presenting.slug(status)})" stroke="#000" stroke-width="0.8">'
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
            f'fill="url(#{prefix}-{presenting.slug(status)})" stroke="#000" stroke-width="0.8"/>'
            f'<text x="{x + 21:.1f}" y="{y + 10}" font-size="10.5">{esc(status)}</text>'
        )
        x += span
    return "".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Outcome measures (issue 18): a series' figures over time --------------------------

# Each kind of area drawn its own way in black and white: dash and marker shape, and the
# words in the legend.
_LINE_STYLES: dict[str, tuple[str, str]] = {  # role: (stroke-dasharray, marker)
    "own": ("", "circle"),
    "national": ("7 4", "square"),
    "similar": ("2 3", "diamond"),
    "other": ("8 3 2 3", "triangle"),
}


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#000"/>'
    if shape == "square":
        return (
            f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="#fff" '
            'stroke="#000"/>'
        )
    if shape == "diamond":
        return (
            f'<path d="M{x:.1f},{y - 4:.1f} L{x + 4:.1f},{y:.1f} L{x:.1f},{y + 4:.1f} '
            f'L{x - 4:.1f},{y:.1f} Z" fill="#fff" stroke="#000"/>'
        )
    return (
        f'<path d="M{x:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 3:.1f} L{x - 4:.1f},{y + 3:.1f} Z" '
        'fill="#000"/>'
    )


def trend_lines_svg(series: pd.DataFrame) -> str:
    """A series' figures (measure_series.sql) as lines over time, one per area, each figure
    at the end of its period; areas told apart by dash and marker, named in the legend; the
    axis in the measure's unit. The numbers are in the table beside it."""
    if series.empty:
        return '<p class="none">No figures are held for this measure yet.</p>'
    width, height, left, right, top, bottom = 680, 250, 56, 14, 40, 26
    unit = str(series["unit"].iloc[0])
    days = [pd.Timestamp(d).toordinal() for d in series["period_end"]]
    first, last = min(days), max(days)
    span = max(last - first, 1)
    low, high = _axis_range(float(series["value"].min()), float(series["value"].max()))

    def x_of(day: int) -> float:
        return float(left + (width - left - right) * (day - first) / span)

    def y_of(value: float) -> float:
        return float(top + (height - top - bottom) * (high - value) / (high - low))

    parts = [_y_axis(low, high, unit, y_of, left, width - right)]
    parts.append(_x_axis(first, last, x_of, height - bottom))
    legend_x = 4.0
    for (area, role), points in series.groupby(["area", "role"], sort=False):
        dash, shape = _LINE_STYLES.get(str(role), _LINE_STYLES["other"])
        points = points.sort_values("period_end")
        xy = [
            (x_of(pd.Timestamp(e).toordinal()), y_of(float(v)))
            for e, v in zip(points["period_end"], points["value"], strict=True)
        ]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(xy))
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<path d="{path}" fill="none" stroke="#000" stroke-width="1.6"{dashing}/>')
        parts += [_marker(shape, x, y) for x, y in xy]
        name = presenting.area_label(str(area), str(role))
        parts.append(
            f'<path d="M{legend_x:.1f},12 L{legend_x + 26:.1f},12" stroke="#000" '
            f'stroke-width="1.6"{dashing}/>{_marker(shape, legend_x + 13, 12)}'
            f'<text x="{legend_x + 31:.1f}" y="16" font-size="10">{esc(name)}</text>'
        )
        legend_x += 40 + 5.6 * len(name)
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'font-family="DejaVu Sans, Arial, sans-serif">' + "".join(parts) + "</svg>"
    )


def _axis_range(low: float, high: float) -> tuple[float, float]:
    """From zero (or below, for a negative figure) to a round number above the highest."""
    top = high if high > 0 else 1.0
    step = _nice_step(top / 4)
    bottom = min(0.0, step * (low // step))
    return bottom, step * -(-top // step)


def _nice_step(raw: float) -> float:
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 0.1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)


def _y_axis(low: float, high: float, unit: str, y_of: Any, left: int, right: int) -> str:
    step = _nice_step((high - low) / 4)
    parts, value = [], low
    while value <= high + step / 1000:
        y = y_of(value)
        shown = presenting.figure(value, unit).replace(" days", "")
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#ccc" '
            f'stroke-width="0.6"/><text x="{left - 5}" y="{y + 3.5:.1f}" text-anchor="end" '
            f'font-size="9.5">{esc(shown)}</text>'
        )
        value += step
    if unit == "days":
        parts.append(
            f'<text x="{left - 5}" y="{y_of(high) - 12:.1f}" text-anchor="end" '
            'font-size="9.5">days</text>'
        )
    return "".join(parts)


def _x_axis(first: int, last: int, x_of: Any, y: int) -> str:
    start, end = dt.date.fromordinal(first).year, dt.date.fromordinal(last).year
    parts = [
        f'<line x1="{x_of(first):.1f}" y1="{y}" x2="{x_of(last):.1f}" y2="{y}" '
        'stroke="#000" stroke-width="0.8"/>'
    ]
    for year in range(start, end + 2):
        day = dt.date(year, 1, 1).toordinal()
        if first <= day <= last:
            x = x_of(day)
            parts.append(
                f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}" stroke="#000"/>'
                f'<text x="{x:.1f}" y="{y + 15}" text-anchor="middle" font-size="9.5">{year}</text>'
            )
    return "".join(parts)
