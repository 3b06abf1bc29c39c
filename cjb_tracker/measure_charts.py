"""The outcome measures' trend chart (issue 18): a measure's values over time, one line per
area (the Board's own, national, a similar group), the milestones of the recommendations
linked to it marked, and the sentence that says what it shows now. Pure functions, drawn
with cjb_tracker.charts' layout and contrast rules; no Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cjb_tracker import charts, presenting

# Each kind of area drawn its own way, so the lines are told apart by dash and marker shape
# as well as colour, and the legend names each.
_AREA_STYLES: dict[str, tuple[str, str, str]] = {  # role: (colour, dash, marker)
    "own": (charts.TEXT, "solid", "circle"),
    "national": ("#0072B2", "dash", "square"),
    "similar": ("#D55E00", "dot", "diamond"),
    "other": ("#6E6E6E", "dashdot", "triangle-up"),
}
_UNIT_AXES = {"%": "Per cent", "days": "Days", "count": "Count", "rate": "Rate"}
MILESTONE_LINE = "#505050"


def measure_trend_chart(
    series: pd.DataFrame,
    milestones: list[presenting.Milestone] | None = None,
    compared_from: presenting.Milestone | None = None,
) -> go.Figure:
    """A series' figures over time (measure_series.sql): one line per area, the Board's own
    area solid with round markers, each comparator dashed or dotted with its own marker, each
    figure plotted at the end of its period; the recommendation's milestones as labelled
    vertical lines on the same time axis, the one compared from drawn heavier."""
    if series.empty:
        return charts.empty("Figures over time", "No figures are held for this measure yet.")
    first = series.iloc[0]
    unit = str(first["unit"])
    label = presenting.series_label(first["name"], first["breakdown"])
    illustrative = bool(series["illustrative"].any())
    title = f"{label}: each area over time" + (
        " (ILLUSTRATIVE figures, not published)" if illustrative else ""
    )
    figure = go.Figure()
    for (area, role), points in series.groupby(["area", "role"], sort=False):
        colour, dash, symbol = _AREA_STYLES.get(str(role), _AREA_STYLES["other"])
        colour = charts.mark_colour(colour)
        points = points.sort_values("period_end")
        shown = [
            presenting.marked(presenting.figure(v, unit), i)
            for v, i in zip(points["value"], points["illustrative"], strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                name=presenting.area_label(str(area), str(role)),
                x=points["period_end"],
                y=points["value"],
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2.5 if role == "own" else 2},
                marker={"symbol": symbol, "size": 8, "color": colour},
                customdata=list(zip(points["period_label"], shown, strict=True)),
                hovertemplate=f"{area}<br>%{{customdata[0]}}: %{{customdata[1]}}<extra></extra>",
            )
        )
    _mark_milestones(figure, milestones or [], compared_from)
    figure.update_yaxes(
        title_text=_UNIT_AXES.get(unit, unit),
        ticksuffix="%" if unit == "%" else "",
        rangemode="tozero",
        gridcolor="#E5E5E5",
    )
    figure.update_xaxes(title_text="End of the period", tickformat="%b %Y", gridcolor="#F0F0F0")
    return charts.layout(figure, title, height=440)


def _mark_milestones(
    figure: go.Figure,
    milestones: list[presenting.Milestone],
    compared_from: presenting.Milestone | None,
) -> None:
    """A dotted vertical line at each milestone with its words and date at its foot (staggered
    so neighbours do not overlap); the milestone compared from, solid and heavier."""
    for index, milestone in enumerate(milestones):
        chosen = compared_from is not None and milestone.key == compared_from.key
        words = f"{milestone.short} {presenting.uk_date(milestone.on)}"
        if chosen:
            words = f"Compared from: {words}"
        figure.add_shape(
            type="line",
            x0=milestone.on,
            x1=milestone.on,
            y0=0,
            y1=1,
            yref="paper",
            line={
                "color": charts.TEXT if chosen else MILESTONE_LINE,
                "dash": "solid" if chosen else "dot",
                "width": 2.5 if chosen else 1.5,
            },
        )
        # Along the foot of the plot, where the figures (drawn from zero up) seldom are.
        figure.add_annotation(
            x=milestone.on,
            y=0.01 + 0.075 * (index % 4),
            yref="paper",
            text=words,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            xshift=3,
            font={"size": 11, "color": charts.TEXT},
            bgcolor="rgba(255,255,255,0.85)",
        )


def measure_trend_summary(series: pd.DataFrame) -> str:
    """'Charge rate (Adult rape) in Cambridgeshire: 10% in Jul - Sep 2026, up 1 percentage
    point since Jul - Sep 2025 (better: higher is better); England and Wales (national): 8%
    in Jul - Sep 2026.' (measure_series.sql; the change over the last four periods)."""
    if series.empty:
        return "No figures are held for this measure yet."
    first = series.iloc[0]
    unit, better = str(first["unit"]), str(first["better"])
    label = presenting.series_label(first["name"], first["breakdown"])
    own = series[series["series_role"] == "own"].sort_values("period_end")
    parts = []
    if own.empty:
        parts.append(f"{label}: no figures for the Board's own area")
    else:
        latest = own.iloc[-1]
        text = (
            f"{label} in {latest['area']}: {presenting.figure(latest['value'], unit)} in "
            f"{latest['period_label']}"
        )
        if len(own) >= 5:
            earlier = own.iloc[-5]
            change = float(latest["value"]) - float(earlier["value"])
            text += (
                f", {presenting.change_words(change, unit)} since {earlier['period_label']} "
                f"({presenting.verdict(change, better)}: {better} is better)"
            )
        parts.append(text)
    for _, row in series[series["series_role"] == "comparator"].tail(1).iterrows():
        parts.append(
            f"{presenting.area_label(row['area'], row['role'])}: "
            f"{presenting.figure(row['value'], unit)} in {row['period_label']}"
        )
    sentence = "; ".join(parts) + "."
    if bool(series["illustrative"].any()):
        sentence += " " + presenting.ILLUSTRATIVE_NOTE
    return sentence
