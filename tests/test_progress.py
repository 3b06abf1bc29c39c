"""The Overview's progress grid (issue 17): each recommendation's status as at each meeting
of the chosen body, an empty cell where it had no update there, the same content as a
table, and the sentence naming those that have stalled. On the fixture database: CJB met on
14 Jul 2021, 13 Oct 2021 and 12 Jan 2022; R1 In progress then Complete; R2 Not started in
July, then nothing; R3 never reported on; R4 In progress, then Awaiting national action.
The report (RAPE1) was published on 16 Jul 2021, two days after the first meeting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from helpers import sign_in
from streamlit.testing.v1 import AppTest

from cjb_tracker import ingest, presenting, store, vocab

DASHBOARD = str(Path(__file__).parents[1] / "dashboard.py")
MEETINGS = ["14 Jul 2021", "13 Oct 2021", "12 Jan 2022"]
APRIL = b"body,date,title\nCJB,13/04/2022,Board meeting April 2022\n"
APRIL_UPDATES = (
    b"recommendation_id,meeting_date,status,rag,update,reported_by\n"
    b"RAPE1-R4,13/04/2022,Awaiting national action,Amber,Still no national framework.,"
    b"CPS RASSO Lead\n"
)
FILTERS: dict[str, Any] = {"report": None, "body": None, "lead": None, "addressee": None}


def overview(**params: str) -> AppTest:
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), "chair")
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def numbers(at: AppTest) -> pd.DataFrame:
    """The grid's numbers table, one row per recommendation, by id; a missing value (shown
    '—') as None."""
    [table] = at.get_by_key("table-progress_numbers").dataframe
    shown = table.value.astype(object)
    return shown.where(shown.notna(), None).set_index("rec_id")


def grid_markup(at: AppTest) -> str:
    [grid] = [h.value for h in at.html if 'class="cjb-grid-wrap"' in h.value]
    return grid


def stalled_sentence(at: AppTest) -> str:
    found = [m.value for m in at.markdown if "stalled" in m.value or "status over" in m.value]
    assert len(found) == 1, [m.value for m in at.markdown]
    return found[0].replace("\\", "")  # as read, without the markdown escapes


def add_april_meeting(db: Path) -> None:
    """A fourth Board meeting, 13 Apr 2022, at which only R4 is reported on (unchanged).
    Imported beside the dashboard, so its cached results are forgotten as a commit on a
    page would (web.clear_caches)."""
    con = store.connect(db)
    try:
        for kind, data in (("meetings", APRIL), ("updates", APRIL_UPDATES)):
            result = ingest.import_file(con, kind, f"{kind}.csv", data, imported_by="t")
            assert result.status == "committed", result.errors
    finally:
        con.close()
    st.cache_data.clear()
    st.cache_resource.clear()


# --- The grid's data --------------------------------------------------------------------


def test_each_cell_is_the_status_at_that_meeting_and_an_empty_one_says_why(
    dashboard_db: Path,
) -> None:
    table = numbers(overview())
    assert list(table.columns[:3]) == ["link", "report", "title"]
    assert list(table.columns[3:]) == MEETINGS  # a column per Board meeting, oldest first
    assert list(table.index) == [f"RAPE1-R{n}" for n in range(1, 14)]  # by number
    cells = table[MEETINGS].to_dict("index")
    # Reported: the status and RAG of that meeting's update. Closed: nothing more was due ('').
    assert cells["RAPE1-R1"] == dict(
        zip(MEETINGS, ["In progress (Green)", "Complete", ""], strict=True)
    )
    assert cells["RAPE1-R4"] == dict(
        zip(MEETINGS, ["In progress (Amber)", "Awaiting national action (Red)", None], strict=True)
    )
    # No update at a meeting (None, shown '—') is not "Not started", which R2 reported once.
    assert cells["RAPE1-R2"] == dict(
        zip(MEETINGS, ["Not started (Amber)", None, None], strict=True)
    )
    # Before its report was published nothing was due (''); after it, no update is a gap.
    assert cells["RAPE1-R3"] == dict(zip(MEETINGS, ["", None, None], strict=True))
    assert table.loc["RAPE1-R1", "link"] == "recommendations?rec=RAPE1-R1"


def test_the_grid_draws_the_same_cells_with_colour_label_rag_and_narrative(
    dashboard_db: Path,
) -> None:
    grid = grid_markup(overview())
    rows = {
        row.split("rec=", 1)[1].split('"', 1)[0]: row
        for row in grid.split("<tr>")
        if row.startswith('<th scope="row"')
    }
    r1, r2 = rows["RAPE1-R1"], rows["RAPE1-R2"]
    # July: the short label and the RAG letter, the words for a screen reader, the narrative
    # on hover; the colour of the status behind them.
    assert (
        'title="14 Jul 2021: In progress (Green). Data fields agreed with the Athena team."' in r1
    )
    green = f'<span class="cjb-rag cjb-r{vocab.RAGS.index("Green")}">G</span>'
    assert f'<span aria-hidden="true">IP{green}</span>' in r1
    assert f'<td class="cjb-s{vocab.STATUSES.index("In progress")}" title="14 Jul 2021' in r1
    assert '<span class="cjb-hidden">In progress (Green)</span>' in r1
    assert 'title="13 Oct 2021: Complete. Recording live since 1 Sep 2021."' in r1
    # After Complete nothing was due: a blank cell, not the dashed gap.
    assert r1.count('class="none"') == 1 and 'class="gap"' not in r1
    # R2 reported Not started in July, then no update: dashed gaps saying where it stood.
    assert '<span aria-hidden="true">NS' in r2
    assert r2.count('class="gap"') == 2
    assert 'title="13 Oct 2021: no update; Not started (Amber) as last reported"' in r2
    # Each row opens its recommendation, in a new tab.
    assert '<a href="recommendations?rec=RAPE1-R2" target="_blank">RAPE1-R2' in r2
    assert "RAPE1 — " in grid  # grouped under their report


def test_the_summary_names_the_recommendations_that_have_not_moved_in_four_meetings(
    dashboard_db: Path,
) -> None:
    assert stalled_sentence(overview()) == (
        "Only 3 meetings of CJB had been held by this date: a recommendation counts as "
        "stalled when its status has not changed over four meetings."
    )
    add_april_meeting(dashboard_db)
    # Over 14 Jul 2021 to 13 Apr 2022: R1 closed, R4 moved in October, R3 and the others
    # were published after the first of the four meetings; R2 stayed Not started.
    assert stalled_sentence(overview()) == (
        "1 of the 12 open recommendations has not changed status over the last four "
        "meetings of CJB (14 Jul 2021 to 13 Apr 2022): RAPE1-R2 (Not started since 14 Jul "
        "2021)."
    )
    table = numbers(overview())
    assert list(table.columns[3:]) == [*MEETINGS, "13 Apr 2022"]
    assert table.loc["RAPE1-R4", "13 Apr 2022"] == "Awaiting national action (Amber)"


def test_the_summary_counts_all_the_filters_select_and_names_the_first_ten(
    dashboard_db: Path,
) -> None:
    add_april_meeting(dashboard_db)
    con = store.connect(dashboard_db)
    try:
        params = {**FILTERS, "as_at": dt.date(2022, 5, 1), "limit": 1}
        stalled = store.run_query(con, "stalled_recommendations", **params)
        assert list(stalled["rec_id"]) == ["RAPE1-R2"]
        none_by_lead = store.run_query(
            con, "stalled_recommendations", **(params | {"lead": "CPS RASSO Lead"})
        )
    finally:
        con.close()
    assert presenting.stalled_summary(none_by_lead, None) == (
        "The one open recommendation changed status over the last four meetings of CJB "
        "(14 Jul 2021 to 13 Apr 2022)."
    )
    many = pd.concat([stalled] * 12, ignore_index=True).assign(
        rec_id=[f"RAPE1-R{n}" for n in range(1, 13)], stalled_total=12
    )
    sentence = presenting.stalled_summary(many.head(presenting.STALLED_NAMED), None)
    assert sentence.endswith("RAPE1-R10 (Not started since 14 Jul 2021) and 2 more.")


def test_the_grid_respects_the_filters_and_the_as_at_date(dashboard_db: Path) -> None:
    patel = numbers(overview(lead="DS Patel"))
    assert list(patel.index) == ["RAPE1-R1", "RAPE1-R3"]
    before_october = overview(as_at="2021-10-01")
    assert list(numbers(before_october).columns[3:]) == ["14 Jul 2021"]
    assert stalled_sentence(before_october).startswith("Only one meeting of CJB had been held")
    nothing_yet = overview(as_at="2021-07-01")
    assert stalled_sentence(nothing_yet) == (
        "No meeting of CJB was held by this date, so nothing can be said to have stalled."
    )


def test_the_grid_shows_a_page_of_recommendations_read_a_page_at_a_time(
    dashboard_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presenting, "PAGE_ROWS", 5)
    at = overview()
    assert list(numbers(at).index) == [f"RAPE1-R{n}" for n in range(1, 6)]
    assert "Rows 1 to 5 of 13." in [c.value[:18] for c in at.caption]
    at.button(key="progress_grid_next").click().run()
    assert list(numbers(at).index) == [f"RAPE1-R{n}" for n in range(6, 11)]
    assert grid_markup(at).count('<tr><th scope="row"') == 5
    # The query itself returns the page: five recommendations at three meetings.
    con = store.connect(dashboard_db)
    try:
        page = store.run_query(
            con, "progress_grid", **FILTERS, as_at=dt.date(2022, 5, 1), limit=5, offset=5
        )
    finally:
        con.close()
    assert len(page) == 5 * 3
    assert sorted(set(page["rec_id"])) == sorted(f"RAPE1-R{n}" for n in range(6, 11))
    assert set(page["total_rows"]) == {13}
