"""Every chart the dashboard draws: pure functions from a query result to a plotly figure,
and for each chart a pure function writing one sentence that says what it shows now.

Colours and order come from cjb_tracker.vocab, darkened where needed so every mark keeps
3:1 contrast against the white background (WCAG 2.2, 1.4.11) and every word 4.5:1
(1.4.3). Each bar carries its count and each legend entry its word, so no chart relies on
colour alone. No Streamlit here. The outcome measures' trend chart is in
cjb_tracker.measure_charts, drawn with this module's layout.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cjb_tracker import presenting, vocab

BACKGROUND = "#FFFFFF"
TEXT = "#0B0C0C"  # GOV.UK's text colour: 19.6:1 on white
LINE = "#767676"  # the timeline's step line: the lightest grey with 4.5:1 on white
MARK_CONTRAST = 3.0  # WCAG 1.4.11: graphical objects against what is next to them
TEXT_CONTRAST = 4.5  # WCAG 1.4.3: text under 18 pt
_FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 13, "color": TEXT}


def relative_luminance(colour: str) -> float:
    """WCAG 2.2's relative luminance of a '#RRGGBB' colour (0 black, 1 white)."""
    digits = colour.lstrip("#")
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.2's contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mark_colour(colour: str) -> str:
    """The vocab colour as the charts draw it: the same hue darkened in 1% steps until it
    has 3:1 contrast against the background. Okabe-Ito's orange, sky blue and the light
    greys are too pale on white as they stand (2.3:1, 2.3:1, 2.4:1)."""
    digits = colour.lstrip("#")
    rgb = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    for percent in range(100, -1, -1):
        darker = "#" + "".join(f"{round(c * percent / 100):02X}" for c in rgb)
        if contrast_ratio(darker, BACKGROUND) >= MARK_CONTRAST:
            return darker
    return "#000000"  # not reached: black has 21:1


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on the fill (at least 4.5:1 on any colour
    from mark_colour)."""
    return max(("#000000", "#FFFFFF"), key=lambda ink: contrast_ratio(ink, fill))


def status_mark(status: str) -> str:
    return mark_colour(vocab.STATUS_COLOURS.get(status, "#000000"))


def rag_mark(rag: str | None) -> str:
    return mark_colour(vocab.rag_colour(rag))


def layout(figure: go.Figure, title: str, **extra: object) -> go.Figure:
    # The title keeps its own room at the top (automargin) and the legend sits under it:
    # on a narrow screen or at 200% zoom the legend wraps onto more rows without covering
    # the title. Axis words are set dark here, or Streamlit's chart theme greys them (3.8:1).
    for axes in (figure.update_xaxes, figure.update_yaxes):
        axes(tickfont_color=TEXT, title_font_color=TEXT)
    figure.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 8},
            "automargin": True,
            "font": {"color": TEXT},
        },
        font=_FONT,
        legend={
            "title": {"text": ""},
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "traceorder": "normal",
            "font": {"color": TEXT},
        },
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        plot_bgcolor=BACKGROUND,
        paper_bgcolor=BACKGROUND,
        # A count too small to fit its segment is hidden, not shrunk: the table has it.
        uniformtext={"minsize": 11, "mode": "hide"},
        **extra,
    )
    return figure


# A white line round each bar segment: neighbouring segments are told apart by the
# background between them, against which each colour has 3:1.
_SEPARATOR = {"color": BACKGROUND, "width": 1}


def empty(title: str, message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(
        text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 15}
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return layout(figure, title, height=220)


def _statuses_in(frame: pd.DataFrame) -> list[str]:
    present = set(frame["status"])
    return [s for s in vocab.STATUSES if s in present]


def status_by_addressee_chart(frame: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: recommendations by status for each addressee, local
    addressees grouped apart from national ones (from status_by_addressee.sql)."""
    title = "Status by addressee: recommendations in each status"
    if frame.empty:
        return empty(title, "No recommendations match the filters.")
    rows = frame.sort_values(["scope", "addressee"], ascending=[False, False])
    order = rows[["scope", "addressee"]].drop_duplicates()
    figure = go.Figure()
    for status in _statuses_in(frame):
        part = order.merge(rows[rows["status"] == status], how="left", on=["scope", "addressee"])
        counts = part["recommendations"].fillna(0).astype(int)
        figure.add_trace(
            go.Bar(
                name=status,
                orientation="h",
                y=[[s.capitalize() for s in part["scope"]], list(part["addressee"])],
                x=counts,
                marker={"color": status_mark(status), "line": _SEPARATOR},
                text=[f"{c:,}" if c else "" for c in counts],
                textposition="inside",
                insidetextfont={"color": text_on(status_mark(status))},
                textangle=0,
                insidetextanchor="middle",
                hovertemplate="%{y}<br>" + status + ": %{x:,}<extra></extra>",
            )
        )
    height = 160 + 34 * len(order)
    figure.update_xaxes(
        title_text="Recommendations", dtick=1 if counts.max() < 12 else None, gridcolor="#E5E5E5"
    )
    return layout(figure, title, barmode="stack", height=height)


def status_by_meeting_chart(frame: pd.DataFrame) -> go.Figure:
    """Stacked columns: the status of the selected recommendations as at each Board
    meeting, oldest first (from status_by_meeting.sql)."""
    title = "Status as at each meeting: recommendations in each status"
    if frame.empty:
        return empty(title, "No meetings held by this date.")
    meetings = frame[["meeting_id", "held_on"]].drop_duplicates().sort_values("held_on")
    labels = [presenting.uk_date(d) for d in meetings["held_on"]]
    figure = go.Figure()
    for status in _statuses_in(frame):
        part = meetings.merge(
            frame[frame["status"] == status], how="left", on=["meeting_id", "held_on"]
        )
        counts = part["recommendations"].fillna(0).astype(int)
        figure.add_trace(
            go.Bar(
                name=status,
                x=labels,
                y=counts,
                marker={"color": status_mark(status), "line": _SEPARATOR},
                text=[f"{c:,}" if c else "" for c in counts],
                textposition="inside",
                insidetextfont={"color": text_on(status_mark(status))},
                textangle=0,
                hovertemplate="%{x}<br>" + status + ": %{y:,}<extra></extra>",
            )
        )
    figure.update_xaxes(type="category", title_text="Meeting")
    figure.update_yaxes(title_text="Recommendations", gridcolor="#E5E5E5")
    return layout(figure, title, barmode="stack", height=420)


def rag_mix_chart(frame: pd.DataFrame) -> go.Figure:
    """Bars: open recommendations by delivery confidence, the word on the axis (rag_mix.sql)."""
    title = "Delivery confidence (RAG) of the open recommendations"
    if frame.empty:
        return empty(title, "No open recommendations.")
    labels = [vocab.rag_label(r) for r in frame["rag"]]
    figure = go.Figure(
        go.Bar(
            x=frame["recommendations"],
            y=labels,
            orientation="h",
            marker_color=[rag_mark(r) for r in frame["rag"]],
            text=[f"{int(n):,}" for n in frame["recommendations"]],
            textposition="outside",
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    most = int(frame["recommendations"].max())
    figure.update_xaxes(
        title_text="Open recommendations", gridcolor="#E5E5E5", dtick=1 if most <= 12 else None
    )
    return layout(figure, title, height=140 + 40 * len(frame), showlegend=False)


def status_timeline_chart(updates: pd.DataFrame) -> go.Figure:
    """A recommendation's status at each meeting it was reported at, as a step line; the
    status word (and RAG) is written wherever it changes, and every point names it on
    hover (from recommendation_updates.sql)."""
    title = "Status across meetings: this recommendation at each one"
    if updates.empty:
        return empty(title, "No updates reported yet.")
    points = updates.sort_values("held_on")
    labels = _changes_only(
        [
            f"{s} ({r})" if isinstance(r, str) else s
            for s, r in zip(points["status"], points["rag"], strict=True)
        ]
    )
    figure = go.Figure(
        go.Scatter(
            x=points["held_on"],
            y=points["status"],
            mode="lines+markers+text",
            line={"shape": "hv", "color": LINE},
            marker={
                "size": 14,
                "color": [status_mark(s) for s in points["status"]],
                "line": {"width": 1, "color": "#333333"},
            },
            text=labels,
            textposition=_label_positions(list(points["status"]), labels),
            customdata=[presenting.uk_date(d) for d in points["held_on"]],
            hovertemplate="%{customdata}: %{y}<extra></extra>",
            cliponaxis=False,
        )
    )
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=list(vocab.STATUSES),
        range=[-0.5, len(vocab.STATUSES) - 0.5],
        title_text="",
    )
    # Room either side so the first and last status words are not cut off.
    first, last = points["held_on"].min(), points["held_on"].max()
    pad = max((last - first) * 0.2, pd.Timedelta(days=60))
    few = len(points) <= 6  # a tick per meeting while they fit; else plotly's own
    figure.update_xaxes(
        tickformat="%-d %b %Y" if few else "%b %Y",
        title_text="Meeting date",
        tickvals=list(points["held_on"]) if few else None,
        range=[first - pad, last + pad],
    )
    return layout(figure, title, height=380, showlegend=False)


def _label_positions(statuses: list[str], labels: list[str]) -> list[str]:
    """Where each status word goes. The step line rises or falls to a point from the side
    of the status before, so a word there would be crossed by it: a word goes on the far
    side (above after a rise, below after a fall). Otherwise words alternate above and
    below from one written label to the next, so neighbouring words do not overlap."""
    positions, written = [], 0
    for i, label in enumerate(labels):
        step = vocab.status_rank(statuses[i]) - vocab.status_rank(statuses[i - 1]) if i else 0
        if step > 0:
            positions.append("top center")
        elif step < 0:
            positions.append("bottom center")
        else:
            positions.append("top center" if written % 2 == 0 else "bottom center")
        written += bool(label)
    return positions


def _changes_only(labels: list[str]) -> list[str]:
    """Each label where it differs from the one before, else blank: words that do not
    pile on top of each other when nothing changed for many meetings."""
    return [label if i == 0 or label != labels[i - 1] else "" for i, label in enumerate(labels)]


# --- One sentence per chart: what it shows now ------------------------------------------


def status_by_meeting_summary(frame: pd.DataFrame) -> str:
    """'At the latest of 2 meetings shown (13 Oct 2021), 1 of 13 recommendations was
    Complete; 10 were Not started and 2 In progress.' (status_by_meeting.sql)"""
    if frame.empty:
        return "No meeting was held by this date, so there is no status to chart."
    meetings = frame[["meeting_id", "held_on"]].drop_duplicates().sort_values("held_on")
    latest = meetings.iloc[-1]
    counts = _counts_by_status(frame[frame["meeting_id"] == latest["meeting_id"]])
    total, complete = sum(counts.values()), counts.pop("Complete", 0)
    held_on = presenting.uk_date(latest["held_on"])
    where = (
        f"At the latest of {len(meetings):,} meetings shown ({held_on})"
        if len(meetings) > 1
        else f"At the one meeting shown ({held_on})"
    )
    sentence = f"{where}, {complete:,} of {total:,} {_plural(total)} {_was(complete)} Complete"
    others = [f"{n:,} {status}" for status, n in counts.items() if n]
    if others:
        sentence += f"; {_list(others, verb=_was(int(counts[_first(counts)])))}"
    return sentence + "."


def status_by_addressee_summary(frame: pd.DataFrame) -> str:
    """'The most open recommendations are addressed to Police forces (6 of 7); counted once
    per addressee, 2 of the 2 open for national addressees are Awaiting national action.'
    A recommendation to several addressees counts for each (status_by_addressee.sql)."""
    if frame.empty:
        return "No recommendations match the filters."
    is_open = frame["status"].isin(vocab.OPEN_STATUSES)
    open_by = frame[is_open].groupby("addressee")["recommendations"].sum()
    all_by = frame.groupby("addressee")["recommendations"].sum()
    if open_by.empty or int(open_by.max()) == 0:
        return (
            f"None of the recommendations to the {len(all_by):,} "
            f"{_plural(len(all_by), 'addressee')} shown is open."
        )
    most = int(open_by.max())
    leaders = sorted(str(a) for a in open_by[open_by == most].index)
    sentence = "The most open recommendations are addressed to " + (
        f"{leaders[0]} ({most:,} of {int(all_by[leaders[0]]):,})"
        if len(leaders) == 1
        else f"{_list(leaders)} ({most:,} each)"
    )
    national = frame[is_open & (frame["scope"] == "national")]
    if len(national):
        waiting = int(
            national.loc[national["status"] == "Awaiting national action"].sum()["recommendations"]
        )
        sentence += (
            f"; counted once per addressee, {waiting:,} of the "
            f"{int(national['recommendations'].sum()):,} open for national addressees "
            f"{_is(waiting)} Awaiting national action"
        )
    return sentence + "."


def rag_mix_summary(frame: pd.DataFrame) -> str:
    """'Of 12 open recommendations, 1 is Red (off track), 3 Amber (at risk), 5 Green (on
    track) and 3 No RAG given.' (rag_mix.sql)"""
    total = int(frame["recommendations"].sum()) if len(frame) else 0
    if total == 0:
        return "No recommendations are open."
    parts = [
        f"{int(n):,} {vocab.rag_label(r)}"
        for r, n in zip(frame["rag"], frame["recommendations"], strict=True)
    ]
    verb = _is(int(frame["recommendations"].iloc[0]))
    return f"Of {total:,} open {_plural(total)}, {_list(parts, verb=verb)}."


def status_timeline_summary(updates: pd.DataFrame) -> str:
    """'Reported at 3 meetings from 14 Jul 2021 to 12 Jan 2022: In progress (Amber) at the
    first, Awaiting national action (Red) at the latest.' (recommendation_updates.sql)"""
    if updates.empty:
        return "No updates reported yet."
    points = updates.sort_values("held_on")
    first, last = points.iloc[0], points.iloc[-1]
    if len(points) == 1:
        return f"Reported at one meeting ({presenting.uk_date(first['held_on'])}): {_state(first)}."
    return (
        f"Reported at {len(points):,} meetings from {presenting.uk_date(first['held_on'])} to "
        f"{presenting.uk_date(last['held_on'])}: {_state(first)} at the first, "
        f"{_state(last)} at the latest."
    )


def _counts_by_status(frame: pd.DataFrame) -> dict[str, int]:
    """{status: count} in vocab order, leaving out statuses with none."""
    summed = frame.groupby("status")["recommendations"].sum()
    return {s: int(summed[s]) for s in vocab.STATUSES if s in summed.index and summed[s]}


def _state(point: pd.Series) -> str:
    rag = point.get("rag")
    return f"{point['status']} ({rag})" if isinstance(rag, str) and rag else str(point["status"])


def _first(counts: dict[str, int]) -> str:
    return next(iter(counts))


def _list(parts: list[str], verb: str = "") -> str:
    """'a, b and c'; with a verb, it goes after the first number: '10 were a, 2 b and 1 c'."""
    if verb:
        number, _, rest = parts[0].partition(" ")
        parts = [f"{number} {verb} {rest}", *parts[1:]]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


def _is(count: int) -> str:
    return "is" if count == 1 else "are"


def _plural(count: int, word: str = "recommendation") -> str:
    return word if count == 1 else word + "s"
