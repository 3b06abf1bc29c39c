"""The pack's charts as inline SVG: stacked bars whose fills read in black and white, the
word for each status always in the legend beside its swatch."""

from __future__ import annotations

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
