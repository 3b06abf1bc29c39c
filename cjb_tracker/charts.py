"""Every chart the dashboard draws: pure functions from a query result to a plotly figure.

Colours and order come from cjb_tracker.vocab. Each bar carries its count and each legend
entry its word, so no chart relies on colour alone. No Streamlit here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cjb_tracker import views, vocab

_FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 13}


def _layout(figure: go.Figure, title: str, **extra: object) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font=_FONT,
        legend={
            "title": {"text": ""},
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "traceorder": "normal",
        },
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        plot_bgcolor="white",
        # A count too small to fit its segment is hidden, not shrunk: the table has it.
        uniformtext={"minsize": 11, "mode": "hide"},
        **extra,
    )
    return figure


def _empty(title: str, message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(
        text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 15}
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _layout(figure, title, height=220)


def _statuses_in(frame: pd.DataFrame) -> list[str]:
    present = set(frame["status"])
    return [s for s in vocab.STATUSES if s in present]


def status_by_addressee_chart(frame: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: recommendations by status for each addressee, local
    addressees grouped apart from national ones (from status_by_addressee.sql)."""
    title = "Status by addressee"
    if frame.empty:
        return _empty(title, "No recommendations match the filters.")
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
                marker_color=vocab.STATUS_COLOURS[status],
                text=[str(c) if c else "" for c in counts],
                textposition="inside",
                textangle=0,
                insidetextanchor="middle",
                hovertemplate="%{y}<br>" + status + ": %{x}<extra></extra>",
            )
        )
    height = 160 + 34 * len(order)
    figure.update_xaxes(
        title_text="Recommendations", dtick=1 if counts.max() < 12 else None, gridcolor="#E5E5E5"
    )
    return _layout(figure, title, barmode="stack", height=height)


def status_by_meeting_chart(frame: pd.DataFrame) -> go.Figure:
    """Stacked columns: the status of the selected recommendations as at each Board
    meeting, oldest first (from status_by_meeting.sql)."""
    title = "Status as at each meeting"
    if frame.empty:
        return _empty(title, "No meetings held by this date.")
    meetings = frame[["meeting_id", "held_on"]].drop_duplicates().sort_values("held_on")
    labels = [views.uk_date(d) for d in meetings["held_on"]]
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
                marker_color=vocab.STATUS_COLOURS[status],
                text=[str(c) if c else "" for c in counts],
                textposition="inside",
                textangle=0,
                hovertemplate="%{x}<br>" + status + ": %{y}<extra></extra>",
            )
        )
    figure.update_xaxes(type="category", title_text="Meeting")
    figure.update_yaxes(title_text="Recommendations", gridcolor="#E5E5E5")
    return _layout(figure, title, barmode="stack", height=420)


def rag_mix_chart(frame: pd.DataFrame) -> go.Figure:
    """Bars: open recommendations by delivery confidence, the word on the axis (rag_mix.sql)."""
    title = "Delivery confidence (RAG) of open items"
    if frame.empty:
        return _empty(title, "No open recommendations.")
    labels = [vocab.rag_label(r) for r in frame["rag"]]
    figure = go.Figure(
        go.Bar(
            x=frame["recommendations"],
            y=labels,
            orientation="h",
            marker_color=[vocab.rag_colour(r) for r in frame["rag"]],
            text=frame["recommendations"],
            textposition="outside",
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    most = int(frame["recommendations"].max())
    figure.update_xaxes(
        title_text="Open recommendations", gridcolor="#E5E5E5", dtick=1 if most <= 12 else None
    )
    return _layout(figure, title, height=140 + 40 * len(frame), showlegend=False)


def status_timeline_chart(updates: pd.DataFrame) -> go.Figure:
    """A recommendation's status at each meeting it was reported at, as a step line; the
    status word (and RAG) is written wherever it changes, and every point names it on
    hover (from recommendation_updates.sql)."""
    title = "Status across meetings"
    if updates.empty:
        return _empty(title, "No updates reported yet.")
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
            line={"shape": "hv", "color": "#999999"},
            marker={
                "size": 14,
                "color": [vocab.STATUS_COLOURS.get(s, "#000000") for s in points["status"]],
                "line": {"width": 1, "color": "#333333"},
            },
            text=labels,
            textposition=_alternating(labels),
            customdata=[views.uk_date(d) for d in points["held_on"]],
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
    return _layout(figure, title, height=380, showlegend=False)


def _alternating(labels: list[str]) -> list[str]:
    """Text positions that alternate above and below from one written label to the next,
    so neighbouring words do not overlap."""
    positions, written = [], 0
    for label in labels:
        positions.append("top center" if written % 2 == 0 else "bottom center")
        written += bool(label)
    return positions


def _changes_only(labels: list[str]) -> list[str]:
    """Each label where it differs from the one before, else blank: words that do not
    pile on top of each other when nothing changed for many meetings."""
    return [label if i == 0 or label != labels[i - 1] else "" for i, label in enumerate(labels)]
