"""The charts as pure functions: titles, order, colours from vocab, the words on every
trace, and a plain message when there is nothing to draw."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cjb_tracker import charts, vocab

BY_ADDRESSEE = pd.DataFrame(
    {
        "scope": ["local", "local", "national"],
        "addressee": ["Police forces", "Police forces", "Home Office"],
        "status": ["Complete", "Not started", "Awaiting national action"],
        "recommendations": [1, 6, 2],
    }
)
BY_MEETING = pd.DataFrame(
    {
        "meeting_id": ["CJB:2021-07-14", "CJB:2021-07-14", "CJB:2021-10-13"],
        "held_on": pd.to_datetime(["2021-07-14", "2021-07-14", "2021-10-13"]),
        "title": ["July", "July", "October"],
        "status": ["Not started", "In progress", "Complete"],
        "recommendations": [11, 2, 1],
    }
)


def annotations(figure: go.Figure) -> list[str]:
    return [a.text for a in figure.layout.annotations]


def test_status_by_addressee_stacks_statuses_in_vocab_order_with_their_colours() -> None:
    figure = charts.status_by_addressee_chart(BY_ADDRESSEE)
    assert figure.layout.title.text == "Status by addressee"
    assert figure.layout.barmode == "stack"
    assert [t.name for t in figure.data] == ["Not started", "Awaiting national action", "Complete"]
    assert [t.marker.color for t in figure.data] == [
        vocab.STATUS_COLOURS[t.name] for t in figure.data
    ]
    not_started = figure.data[0]
    assert list(not_started.y[0]) == ["National", "Local"]  # scope groups the addressees
    assert list(not_started.y[1]) == ["Home Office", "Police forces"]
    assert list(not_started.x) == [0, 6]
    assert list(not_started.text) == ["", "6"]  # the count is written on the bar


def test_status_by_meeting_labels_meetings_as_uk_dates() -> None:
    figure = charts.status_by_meeting_chart(BY_MEETING)
    assert figure.layout.title.text == "Status as at each meeting"
    assert list(figure.data[0].x) == ["14 Jul 2021", "13 Oct 2021"]
    assert [t.name for t in figure.data] == ["Not started", "In progress", "Complete"]
    assert list(figure.data[1].y) == [2, 0]


def test_rag_mix_spells_out_each_rag_word() -> None:
    frame = pd.DataFrame({"rag": ["Red", "Green", "No RAG given"], "recommendations": [1, 2, 3]})
    figure = charts.rag_mix_chart(frame)
    bar = figure.data[0]
    assert list(bar.y) == ["Red (off track)", "Green (on track)", "No RAG given"]
    assert list(bar.marker.color) == [
        vocab.RAG_COLOURS["Red"], vocab.RAG_COLOURS["Green"], vocab.NO_RAG_COLOUR,
    ]  # fmt: skip
    assert figure.layout.title.text.startswith("Delivery confidence")


def test_status_timeline_writes_the_status_at_each_meeting() -> None:
    updates = pd.DataFrame(
        {
            "held_on": pd.to_datetime(["2021-10-13", "2021-07-14"]),
            "status": ["Awaiting national action", "In progress"],
            "rag": ["Red", "Amber"],
        }
    )
    figure = charts.status_timeline_chart(updates)
    line = figure.data[0]
    assert list(line.text) == ["In progress (Amber)", "Awaiting national action (Red)"]
    assert list(figure.layout.yaxis.categoryarray) == list(vocab.STATUSES)
    assert list(line.customdata) == ["14 Jul 2021", "13 Oct 2021"]


def test_empty_results_draw_a_message_not_an_empty_axis() -> None:
    empty = pd.DataFrame(columns=["scope", "addressee", "status", "recommendations"])
    assert annotations(charts.status_by_addressee_chart(empty)) == [
        "No recommendations match the filters."
    ]
    assert annotations(charts.status_by_meeting_chart(BY_MEETING.iloc[0:0])) == [
        "No meetings held by this date."
    ]
    assert annotations(charts.status_timeline_chart(pd.DataFrame(columns=["held_on"]))) == [
        "No updates reported yet."
    ]
