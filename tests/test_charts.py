"""The charts as pure functions: titles, order, colours from vocab (with WCAG contrast),
the words on every trace, the one-sentence summaries, and a plain message when there is
nothing to draw."""

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


def annotation_texts(figure: go.Figure) -> list[str]:
    return [a.text for a in figure.layout.annotations]


def test_status_by_addressee_stacks_statuses_in_vocab_order_with_their_colours() -> None:
    figure = charts.status_by_addressee_chart(BY_ADDRESSEE)
    assert figure.layout.title.text == "Status by addressee: recommendations in each status"
    assert figure.layout.barmode == "stack"
    assert [t.name for t in figure.data] == ["Not started", "Awaiting national action", "Complete"]
    assert [t.marker.color for t in figure.data] == [
        charts.mark_colour(vocab.STATUS_COLOURS[t.name]) for t in figure.data
    ]
    not_started = figure.data[0]
    assert list(not_started.y[0]) == ["National", "Local"]  # scope groups the addressees
    assert list(not_started.y[1]) == ["Home Office", "Police forces"]
    assert list(not_started.x) == [0, 6]
    assert list(not_started.text) == ["", "6"]  # the count is written on the bar


def test_status_by_meeting_labels_meetings_as_uk_dates() -> None:
    figure = charts.status_by_meeting_chart(BY_MEETING)
    assert figure.layout.title.text == "Status as at each meeting: recommendations in each status"
    assert list(figure.data[0].x) == ["14 Jul 2021", "13 Oct 2021"]
    assert [t.name for t in figure.data] == ["Not started", "In progress", "Complete"]
    assert list(figure.data[1].y) == [2, 0]


def test_rag_mix_spells_out_each_rag_word() -> None:
    frame = pd.DataFrame({"rag": ["Red", "Green", "No RAG given"], "recommendations": [1, 2, 3]})
    figure = charts.rag_mix_chart(frame)
    bar = figure.data[0]
    assert list(bar.y) == ["Red (off track)", "Green (on track)", "No RAG given"]
    assert list(bar.marker.color) == [
        vocab.RAG_COLOURS["Red"], vocab.RAG_COLOURS["Green"], "#949494",  # #BBBBBB darkened
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
    # The step line rises into the second point from below: its word goes above, clear of it.
    assert list(line.textposition) == ["top center", "top center"]


def test_status_timeline_words_sit_clear_of_the_step_line() -> None:
    updates = pd.DataFrame(
        {
            "held_on": pd.to_datetime(["2021-07-14", "2021-10-13", "2022-01-12", "2022-04-13"]),
            "status": ["Awaiting national action", "In progress", "In progress", "Complete"],
            "rag": [None, None, None, None],
        }
    )
    line = charts.status_timeline_chart(updates).data[0]
    # first: above; a fall: below; no change (no word): alternates; a rise: above
    assert list(line.textposition) == ["top center", "bottom center", "top center", "top center"]


def test_empty_results_draw_a_message_not_an_empty_axis() -> None:
    empty = pd.DataFrame(columns=["scope", "addressee", "status", "recommendations"])
    assert annotation_texts(charts.status_by_addressee_chart(empty)) == [
        "No recommendations match the filters."
    ]
    assert annotation_texts(charts.status_by_meeting_chart(BY_MEETING.iloc[0:0])) == [
        "No meetings held by this date."
    ]
    assert annotation_texts(charts.status_timeline_chart(pd.DataFrame(columns=["held_on"]))) == [
        "No updates reported yet."
    ]


# --- Contrast (WCAG 2.2: 1.4.11 non-text 3:1, 1.4.3 text 4.5:1) ---------------------------

ALL_VOCAB_COLOURS = [
    *vocab.STATUS_COLOURS.values(),
    *vocab.RAG_COLOURS.values(),
    vocab.NO_RAG_COLOUR,
]


def test_contrast_ratio_matches_the_wcag_reference_values() -> None:
    assert charts.contrast_ratio("#000000", "#FFFFFF") == 21
    assert round(charts.contrast_ratio("#767676", "#FFFFFF"), 2) == 4.54  # the known 4.5 grey
    assert round(charts.contrast_ratio("#E69F00", "#FFFFFF"), 2) == 2.25  # Okabe-Ito orange
    assert charts.contrast_ratio("#0072B2", "#FFFFFF") == charts.contrast_ratio(
        "#FFFFFF", "#0072B2"
    )


def test_every_mark_colour_has_3_to_1_against_the_background_and_keeps_its_hue() -> None:
    for colour in ALL_VOCAB_COLOURS:
        mark = charts.mark_colour(colour)
        assert charts.contrast_ratio(mark, charts.BACKGROUND) >= 3.0, (colour, mark)
        if charts.contrast_ratio(colour, charts.BACKGROUND) >= 3.0:
            assert mark == colour  # dark enough already: unchanged
    assert charts.mark_colour("#E69F00") == "#C68900"  # orange, darkened
    assert charts.mark_colour("#56B4E9") == "#4B9DCB"  # sky blue, darkened


def test_the_count_written_on_each_bar_has_4_5_to_1_against_the_bar() -> None:
    figures = [
        charts.status_by_addressee_chart(BY_ADDRESSEE),
        charts.status_by_meeting_chart(BY_MEETING),
    ]
    for trace in [t for f in figures for t in f.data]:
        fill, ink = trace.marker.color, trace.insidetextfont.color
        assert charts.contrast_ratio(ink, fill) >= 4.5, (trace.name, fill, ink)
        assert trace.marker.line.color == charts.BACKGROUND  # segments apart by a white line
    for colour in ALL_VOCAB_COLOURS:
        mark = charts.mark_colour(colour)
        assert charts.contrast_ratio(charts.text_on(mark), mark) >= 4.5, mark


def test_every_mark_and_word_in_every_chart_meets_its_contrast() -> None:
    updates = pd.DataFrame(
        {"held_on": pd.to_datetime(["2021-07-14"]), "status": ["In progress"], "rag": ["Amber"]}
    )
    rag = pd.DataFrame({"rag": ["Amber", "No RAG given"], "recommendations": [1, 2]})
    figures = [
        charts.status_by_addressee_chart(BY_ADDRESSEE),
        charts.status_by_meeting_chart(BY_MEETING),
        charts.rag_mix_chart(rag),
        charts.status_timeline_chart(updates),
    ]
    for figure in figures:
        assert figure.layout.plot_bgcolor == figure.layout.paper_bgcolor == charts.BACKGROUND
        assert charts.contrast_ratio(figure.layout.font.color, charts.BACKGROUND) >= 4.5
        for axis in (figure.layout.xaxis, figure.layout.yaxis):  # or the theme greys them
            assert charts.contrast_ratio(axis.tickfont.color, charts.BACKGROUND) >= 4.5
            assert charts.contrast_ratio(axis.title.font.color, charts.BACKGROUND) >= 4.5
        for trace in figure.data:
            colours = trace.marker.color
            for colour in [colours] if isinstance(colours, str) else colours:
                assert charts.contrast_ratio(colour, charts.BACKGROUND) >= 3.0, colour
    line = figures[3].data[0].line.color
    assert charts.contrast_ratio(line, charts.BACKGROUND) >= 3.0


# --- Summaries: one sentence saying what each chart shows now ----------------------------


def test_status_by_meeting_summary_names_the_latest_meeting_and_its_counts() -> None:
    two_meetings = pd.concat(
        [
            BY_MEETING,
            pd.DataFrame(
                {
                    "meeting_id": ["CJB:2021-10-13"] * 2,
                    "held_on": pd.to_datetime(["2021-10-13"] * 2),
                    "title": ["October"] * 2,
                    "status": ["Not started", "Awaiting national action"],
                    "recommendations": [10, 2],
                }
            ),
        ]
    )
    assert charts.status_by_meeting_summary(two_meetings) == (
        "At the latest of 2 meetings shown (13 Oct 2021), 1 of 13 recommendations was "
        "Complete; 10 were Not started and 2 Awaiting national action."
    )
    assert charts.status_by_meeting_summary(BY_MEETING.iloc[:2]) == (
        "At the one meeting shown (14 Jul 2021), 0 of 13 recommendations were Complete; "
        "11 were Not started and 2 In progress."
    )
    assert charts.status_by_meeting_summary(BY_MEETING.iloc[0:0]) == (
        "No meeting was held by this date, so there is no status to chart."
    )


def test_status_by_addressee_summary_names_who_holds_most_open_and_national_waits() -> None:
    assert charts.status_by_addressee_summary(BY_ADDRESSEE) == (
        "The most open recommendations are addressed to Police forces (6 of 7); counted once "
        "per addressee, 2 of the 2 open for national addressees are Awaiting national action."
    )
    tie = pd.DataFrame(
        {
            "scope": ["local", "local"],
            "addressee": ["Police forces", "CPS Areas"],
            "status": ["In progress", "In progress"],
            "recommendations": [3, 3],
        }
    )
    assert charts.status_by_addressee_summary(tie) == (
        "The most open recommendations are addressed to CPS Areas and Police forces (3 each)."
    )
    closed = BY_ADDRESSEE[BY_ADDRESSEE["status"] == "Complete"]
    assert charts.status_by_addressee_summary(closed) == (
        "None of the recommendations to the 1 addressee shown is open."
    )


def test_rag_mix_summary_spells_out_each_rag_with_its_meaning() -> None:
    frame = pd.DataFrame({"rag": ["Red", "Green", "No RAG given"], "recommendations": [1, 2, 3]})
    assert charts.rag_mix_summary(frame) == (
        "Of 6 open recommendations, 1 is Red (off track), 2 Green (on track) and 3 No RAG given."
    )
    one = pd.DataFrame({"rag": ["Amber"], "recommendations": [1]})
    assert charts.rag_mix_summary(one) == "Of 1 open recommendation, 1 is Amber (at risk)."
    assert charts.rag_mix_summary(frame.iloc[0:0]) == "No recommendations are open."


def test_status_timeline_summary_gives_the_first_and_latest_status() -> None:
    updates = pd.DataFrame(
        {
            "held_on": pd.to_datetime(["2021-10-13", "2021-07-14"]),
            "status": ["Awaiting national action", "In progress"],
            "rag": ["Red", None],
        }
    )
    assert charts.status_timeline_summary(updates) == (
        "Reported at 2 meetings from 14 Jul 2021 to 13 Oct 2021: In progress at the first, "
        "Awaiting national action (Red) at the latest."
    )
    assert charts.status_timeline_summary(updates.iloc[:1]) == (
        "Reported at one meeting (13 Oct 2021): Awaiting national action (Red)."
    )
    assert charts.status_timeline_summary(updates.iloc[0:0]) == "No updates reported yet."


def test_counts_in_thousands_are_written_with_commas_in_summaries_and_on_bars() -> None:
    national = BY_MEETING.assign(recommendations=[37_500, 12_500, 50_013])
    assert charts.status_by_meeting_summary(national) == (
        "At the latest of 2 meetings shown (13 Oct 2021), 50,013 of 50,013 recommendations "
        "were Complete."
    )
    figure = charts.status_by_meeting_chart(national)
    assert list(figure.data[0].text) == ["37,500", ""]
    assert "%{y:,}" in figure.data[0].hovertemplate
    rag = pd.DataFrame({"rag": ["Red", "Green"], "recommendations": [1_200, 3]})
    assert list(charts.rag_mix_chart(rag).data[0].text) == ["1,200", "3"]
    assert charts.rag_mix_summary(rag).startswith("Of 1,203 open recommendations, 1,200 are Red")
