"""Outcome measures on the pages (issue 18): a series' chart with its sentence and numbers,
the measures a recommendation is linked to (with the milestone compared from), and the
chair's controls to link and unlink one."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from cjb_tracker import measure_charts, presenting
from cjb_tracker.auth import User
from cjb_tracker.web.data import drawn, query
from cjb_tracker.web.forms import LinkForm, link_measure, link_outcome, unlink_measure
from cjb_tracker.web.widgets import say, table

LINK_FORM = LinkForm()


def outcome_chart(
    series: pd.DataFrame,
    sentence: str,
    key: str,
    milestones: tuple[presenting.Milestone, ...] = (),
    compared_from: presenting.Milestone | None = None,
) -> None:
    """A series drawn (measure_series.sql): the sentence saying what it shows, the chart
    with the milestones on its time axis, and its numbers as a table under it."""
    drawing = f"{key} {compared_from.key if compared_from else ''} {len(series)}"
    st.markdown(presenting.escape_markdown(sentence))
    figure = drawn(
        partial(
            measure_charts.measure_trend_chart,
            milestones=list(milestones),
            compared_from=compared_from,
        ),
        f"measure_trend_chart {[m.key for m in milestones]}",
        drawing,
        series,
    )
    st.plotly_chart(figure, key=key, width="stretch", config={"displaylogo": False})
    st.caption("The numbers in the chart above")
    table(presenting.trend_numbers(series, compared_from), key=f"{key}_numbers")


def outcome_sections(outcomes: pd.DataFrame, as_at: dt.date) -> None:
    """Each series of the Outcomes page (outcome_measures.sql): its chart, summary sentence
    and numbers."""
    for index, row in outcomes.reset_index(drop=True).iterrows():
        label = presenting.series_label(row["name"], row["breakdown"])
        st.subheader(label)
        st.caption(_definition(row))
        series = query(
            "measure_series", measure_id=row["measure_id"], breakdown=row["breakdown"], as_at=as_at
        )
        outcome_chart(series, measure_charts.measure_trend_summary(series), key=f"outcome_{index}")


def _definition(row: pd.Series) -> str:
    parts = [presenting.rule_words(str(row["unit"]), str(row["better"]))]
    # Named here too: in the table above, the column is off to the right on a narrow screen.
    linked = row.get("recommendations")
    parts.append(f"linked to {linked}" if isinstance(linked, str) else "linked to none")
    if isinstance(row.get("stage"), str):
        parts.append(f"stage: {row['stage']}")
    for name in ("description", "source"):
        if isinstance(row.get(name), str):
            parts.append(str(row[name]))
    return " · ".join(parts)


def linked_measures(rec_id: str, as_at: dt.date, user: User) -> None:
    """The measures a recommendation is meant to move: for each, what moved since the chosen
    milestone, here and in the comparator, and its figures over time beside the
    recommendation's milestones. The chair links and unlinks below."""
    links = query("measure_links_of_recommendation", rec_id=rec_id)
    milestone_rows = query("recommendation_milestones", rec_id=rec_id, as_at=as_at)
    if links.empty:
        st.text("No outcome measures are linked to this recommendation yet.")
    else:
        chosen = _milestone_choice(rec_id, milestone_rows)
        milestones = tuple(presenting.milestones_of(milestone_rows))
        for index, link in links.iterrows():
            label = presenting.series_label(link["name"], link["breakdown"])
            rule = presenting.rule_words(link["unit"], link["better"])
            st.markdown(
                f"**{presenting.escape_markdown(label)}**: meant to {link['expected']} "
                f"({presenting.escape_markdown(rule)})"
            )
            if isinstance(link["note"], str):
                st.caption(f"Why linked: {link['note']}")
            compared = query(
                "measure_before_after",
                measure_id=link["measure_id"],
                breakdown=link["breakdown"],
                milestone=chosen.on if chosen else None,
                as_at=as_at,
            )
            series = query(
                "measure_series",
                measure_id=link["measure_id"],
                breakdown=link["breakdown"],
                as_at=as_at,
            )
            sentence = presenting.change_sentence(rec_id, chosen, link, compared)
            outcome_chart(series, sentence, f"linked_{index}", milestones, chosen)
    history = query("measure_link_history", rec_id=rec_id)
    if len(history):
        st.caption("Link history: every link and its removal, newest first")
        table(history, key="link_history", times=("recorded_at",))
    if user.may("link-measures"):
        link_controls(rec_id, user, links)


def _milestone_choice(rec_id: str, milestone_rows: pd.DataFrame) -> presenting.Milestone | None:
    choices = presenting.milestone_choices(milestone_rows)
    if not choices:
        return None
    default = presenting.default_milestone(milestone_rows)
    options = list(choices)
    picked = st.selectbox(
        "Compare before and after",
        options,
        index=options.index(default.key) if default and default.key in options else 0,
        format_func=lambda key: choices.get(key, key),
        key=f"milestone_{rec_id}",
        help=presenting.HOW_COMPARED,
    )
    return presenting.milestone_by_key(milestone_rows, picked)


def link_controls(rec_id: str, user: User, links: pd.DataFrame) -> None:
    """The chair's: link the recommendation to a series it should move (which way), or take
    a link away. Each is a batch, undone like an upload."""
    say(link_outcome())
    offered = presenting.series_choices(query("measure_choices"))
    with st.expander("Link a measure (chair)", expanded=links.empty and bool(offered)):
        if not offered:
            st.text("No measures are held yet: upload a measures file first.")
            return
        st.selectbox(
            "Measure",
            list(offered),
            index=None,
            format_func=lambda key: offered.get(key, key),
            key=LINK_FORM.series,
            placeholder="Choose a measure",
        )
        st.radio(
            "It should",
            ["rise", "fall"],
            index=None,
            horizontal=True,
            key=LINK_FORM.expected,
            help="Left empty, the way the measure's own rule calls better.",
        )
        st.text_input("Why (optional)", key=LINK_FORM.note)
        st.button(
            "Link",
            key="link_measure",
            on_click=link_measure,
            args=(rec_id, user, LINK_FORM),
            disabled=st.session_state.get(LINK_FORM.series) is None,
        )
        if not links.empty:
            linked = {
                presenting.series_key(m, b): presenting.series_label(n, b)
                for m, b, n in zip(
                    links["measure_id"], links["breakdown"], links["name"], strict=True
                )
            }
            st.selectbox(
                "Linked measure to take away",
                list(linked),
                index=None,
                format_func=lambda key: linked.get(key, key),
                key=LINK_FORM.unlink,
                placeholder="Choose a linked measure",
            )
            st.button(
                "Remove the link",
                key="unlink_measure",
                on_click=unlink_measure,
                args=(rec_id, user, LINK_FORM),
                disabled=st.session_state.get(LINK_FORM.unlink) is None,
            )
