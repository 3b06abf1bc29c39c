"""The outcome measures' read queries and what is said from them (issue 18): a series'
trend in one kind of period with its comparator, a recommendation's milestones, the figures
before and after a milestone (a period containing the milestone counts as neither), the
sentence saying what moved (never why), the Outcomes page's table and its filters, and the
charts. On the fixture database with data/examples/measures.csv and figures added here."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cjb_tracker import ingest, measure_charts, measures, presenting, store

# Each test that takes fixture_db runs on a DuckDB file and on PostgreSQL (conftest.py).
pytestmark = pytest.mark.both_stores

ROOT = Path(__file__).parents[1]
D = dt.date
LATER = D(2030, 1, 1)
CAUSAL = re.compile(
    r"\b(because|due to|caused|led to|result(ed)? (of|in)|thanks to|impact)\b", re.I
)


def load(con: duckdb.DuckDBPyConnection, kind: str, text: str, **options: object) -> int:
    result = ingest.import_file(
        con,
        kind,
        f"{kind}.csv",
        text.encode("utf-8"),
        imported_by="test",
        **options,  # type: ignore[arg-type]
    )
    assert result.status == "committed", [p.message for p in result.errors]
    assert result.batch_id is not None
    return result.batch_id


@pytest.fixture
def outcomes_db(fixture_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The fixture (R1 first reported 14 Jul 2021 and completed 13 Oct 2021; R4 reported 14
    Jul 2021, Awaiting national action from 13 Oct 2021, due 31 Dec 2021 revised to 31 Mar
    2022) with the example measures: the charge rate (Adult rape) by quarter, here and
    nationally, and median days to charge by rolling year. R1 and R4 linked."""
    result = ingest.import_path(
        fixture_db, "measures", ROOT / "data" / "examples" / "measures.csv", imported_by="test"
    )
    assert result.status == "committed", result.errors
    load(
        fixture_db,
        "links",
        "recommendation_id,measure,breakdown,expected\n"
        "RAPE1-R1,Charge rate,Adult rape,rise\n"
        "RAPE1-R4,Median days from report to charge,,fall\n",
    )
    return fixture_db


def before_after(
    con: duckdb.DuckDBPyConnection, measure_id: str, breakdown: str, on: dt.date
) -> pd.DataFrame:
    return store.run_query(
        con, "measure_before_after", measure_id=measure_id, breakdown=breakdown, milestone=on,
        as_at=LATER,
    )  # fmt: skip


def link_row(con: duckdb.DuckDBPyConnection, rec_id: str) -> pd.Series:
    return store.run_query(con, "measure_links_of_recommendation", rec_id=rec_id).iloc[0]


# --- The trend -------------------------------------------------------------------------------


def test_a_series_trend_is_its_own_area_then_the_comparator_oldest_first(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    series = store.run_query(
        outcomes_db, "measure_series", measure_id="charge rate", breakdown="Adult rape", as_at=LATER
    )
    columns = ["area", "series_role", "period_label", "value"]
    assert list(series[columns].itertuples(index=False, name=None)) == [
        ("Cambridgeshire", "own", "Apr - Jun 2021", 5.1),
        ("Cambridgeshire", "own", "Jul - Sep 2021", 5.5),
        ("Cambridgeshire", "own", "Oct - Dec 2021", 6.0),
        ("Cambridgeshire", "own", "Jan - Mar 2022", 7.4),
        ("England and Wales", "comparator", "Apr - Jun 2021", 5.8),
        ("England and Wales", "comparator", "Jul - Sep 2021", 6.0),
        ("England and Wales", "comparator", "Oct - Dec 2021", 6.1),
        ("England and Wales", "comparator", "Jan - Mar 2022", 6.3),
    ]  # fmt: skip
    # As at a date, only the periods that had ended by then.
    earlier = store.run_query(
        outcomes_db, "measure_series", measure_id="charge rate", breakdown="Adult rape",
        as_at=D(2021, 12, 30),
    )  # fmt: skip
    assert set(earlier["period_label"]) == {"Apr - Jun 2021", "Jul - Sep 2021"}


def test_a_trend_compares_like_with_like_one_kind_of_period(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    # Two rolling-year figures of the charge rate beside its four quarters: the trend stays
    # in quarters (the kind the Board's area has most figures in).
    load(
        outcomes_db,
        "measures",
        "measure,area,period,value,breakdown\n"
        "Charge rate,Cambridgeshire,12 months to Dec 2021,5.6,Adult rape\n"
        "Charge rate,Cambridgeshire,12 months to Mar 2022,6.2,Adult rape\n",
    )
    series = store.run_query(
        outcomes_db, "measure_series", measure_id="charge rate", breakdown="Adult rape", as_at=LATER
    )
    assert set(series["period_kind"]) == {"quarter"}
    assert len(series) == 8
    # Three more rolling years: now most of the area's figures are rolling years.
    load(
        outcomes_db,
        "measures",
        "measure,area,period,value,breakdown\n"
        "Charge rate,Cambridgeshire,12 months to Jun 2022,6.4,Adult rape\n"
        "Charge rate,Cambridgeshire,12 months to Sep 2022,6.6,Adult rape\n"
        "Charge rate,Cambridgeshire,12 months to Dec 2022,6.9,Adult rape\n",
    )
    series = store.run_query(
        outcomes_db, "measure_series", measure_id="charge rate", breakdown="Adult rape", as_at=LATER
    )
    assert set(series["period_kind"]) == {"year"}
    assert list(series["series_role"].unique()) == ["own"]  # no national rolling years


def test_the_comparator_is_national_else_the_most_similar_group(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    load(
        outcomes_db,
        "measures",
        "measure,area,period,value,breakdown,area_type\n"
        "Charge rate,Most similar group,Jan - Mar 2022,6.9,Adult rape,similar\n"
        "Charge rate,Most similar group,Apr - Jun 2022,7.0,,similar\n"
        "Charge rate,Cambridgeshire,Apr - Jun 2022,7.5,,\n",
    )
    roles = store.run_query(
        outcomes_db, "measure_series", measure_id="charge rate", breakdown="Adult rape", as_at=LATER
    ).drop_duplicates("area")
    assert dict(zip(roles["area"], roles["series_role"].fillna("none"), strict=True)) == {
        "Cambridgeshire": "own",
        "England and Wales": "comparator",
        "Most similar group": "none",  # drawn, but neither own nor the comparator
    }
    whole = store.run_query(
        outcomes_db, "measure_series", measure_id="charge rate", breakdown="", as_at=LATER
    )
    assert dict(zip(whole["area"], whole["series_role"], strict=True)) == {
        "Cambridgeshire": "own",
        "Most similar group": "comparator",
    }


# --- Milestones ------------------------------------------------------------------------------


def test_milestones_are_the_first_report_status_changes_completion_and_due_dates(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    def milestones(rec_id: str) -> list[tuple[object, ...]]:
        frame = store.run_query(
            outcomes_db, "recommendation_milestones", rec_id=rec_id, as_at=LATER
        )
        return [(m.kind, m.on, m.status) for m in presenting.milestones_of(frame)]

    assert milestones("RAPE1-R1") == [
        ("reported", D(2021, 7, 14), "In progress"),
        ("completed", D(2021, 10, 13), "Complete"),
        ("due", D(2021, 10, 31), None),
    ]
    assert milestones("RAPE1-R4") == [
        ("reported", D(2021, 7, 14), "In progress"),
        ("status", D(2021, 10, 13), "Awaiting national action"),
        ("due", D(2021, 12, 31), None),
        ("revised-due", D(2022, 3, 31), None),
    ]
    # As at a date before the completion, R1 had only been reported.
    frame = store.run_query(
        outcomes_db, "recommendation_milestones", rec_id="RAPE1-R1", as_at=D(2021, 8, 1)
    )
    assert [m.kind for m in presenting.milestones_of(frame)] == ["reported", "due"]


def test_the_sentence_reads_from_the_completion_else_the_first_report(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    def default(rec_id: str) -> presenting.Milestone | None:
        frame = store.run_query(
            outcomes_db, "recommendation_milestones", rec_id=rec_id, as_at=LATER
        )
        return presenting.default_milestone(frame)

    assert default("RAPE1-R1") == presenting.Milestone(
        "completed", D(2021, 10, 13), "Complete", "In progress"
    )
    assert default("RAPE1-R4") == presenting.Milestone("reported", D(2021, 7, 14), "In progress")
    assert default("RAPE1-R3") == presenting.Milestone("due", D(2022, 6, 30))  # never reported
    assert default("RAPE1-R13") is None  # no report, no due date in the fixture


# --- Before and after ----------------------------------------------------------------------


def test_a_quarter_that_contains_the_milestone_counts_as_neither(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    found = before_after(outcomes_db, "charge rate", "Adult rape", D(2021, 10, 13))
    own, national = found.iloc[0], found.iloc[1]
    assert (own["area"], own["before_period"], own["before_value"]) == (
        "Cambridgeshire",
        "Jul - Sep 2021",
        5.5,
    )
    assert (own["after_period"], own["after_value"], own["straddling"]) == (
        "Jan - Mar 2022",
        7.4,
        "Oct - Dec 2021",
    )
    assert (national["before_value"], national["after_value"]) == (6.0, 6.3)


@pytest.mark.parametrize(
    ("on", "before", "after", "straddling"),
    [
        # The milestone on a quarter's first day: that quarter is wholly after it.
        (D(2021, 10, 1), "Jul - Sep 2021", "Jan - Mar 2022", None),
        # On a quarter's last day: that quarter contains it, so counts as neither.
        (D(2021, 9, 30), "Apr - Jun 2021", "Jan - Mar 2022", "Jul - Sep 2021"),
        # Before every figure: nothing before; after every figure: nothing after.
        (D(2021, 1, 1), None, "Jan - Mar 2022", None),
        (D(2022, 5, 1), "Jan - Mar 2022", None, None),
    ],
)
def test_which_period_counts_as_before_and_after_at_the_edges(
    outcomes_db: duckdb.DuckDBPyConnection,
    on: dt.date,
    before: str | None,
    after: str | None,
    straddling: str | None,
) -> None:
    own = before_after(outcomes_db, "charge rate", "Adult rape", on).iloc[0]
    assert own["before_period"] == before if before else pd.isna(own["before_period"])
    assert own["after_period"] == after if after else pd.isna(own["after_period"])
    assert own["straddling"] == straddling if straddling else pd.isna(own["straddling"])


def test_rolling_years_running_across_the_milestone_all_count_as_neither(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    own = before_after(outcomes_db, "median days from report to charge", "", D(2021, 10, 13)).iloc[
        0
    ]
    assert own["before_period"] == "Oct 2020 - Sep 2021"
    assert pd.isna(own["after_period"])
    assert own["straddling"] == "Jan - Dec 2021; Apr 2021 - Mar 2022"


# --- The sentence --------------------------------------------------------------------------


def test_the_sentence_says_what_moved_here_and_nationally_and_which_figures(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    sentence = measures.comparisons(outcomes_db, "RAPE1-R1", LATER)["sentence"].iloc[0]
    assert sentence == (
        "Since RAPE1-R1 was completed (13 Oct 2021), the charge rate (Adult rape) in "
        "Cambridgeshire rose from 5.5% to 7.4% (better; the way it was meant to move); "
        "nationally (England and Wales) it rose from 6% to 6.3%. Compared: Jul - Sep 2021, "
        "the last quarter wholly before 13 Oct 2021, with Jan - Mar 2022, the latest; Oct - "
        "Dec 2021 contains 13 Oct 2021 and counts as neither."
    )
    assert not CAUSAL.search(sentence)


def test_the_sentence_says_when_no_figure_yet_covers_only_the_time_since(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    milestone = presenting.Milestone(
        "status", D(2021, 10, 13), "Awaiting national action", "In progress"
    )
    sentence = measures.comparisons(outcomes_db, "RAPE1-R4", LATER, milestone)["sentence"].iloc[0]
    assert sentence == (
        "Since RAPE1-R4 moved to Awaiting national action (13 Oct 2021): no figure of the "
        "median days from report to charge for Cambridgeshire yet covers only the time since; "
        "the latest, Apr 2021 - Mar 2022, contains 13 Oct 2021 and counts as neither. The last "
        "year wholly before was Oct 2020 - Sep 2021: 300 days."
    )


def test_a_fall_against_the_expected_rise_is_said_and_so_is_worse() -> None:
    link = pd.Series(
        {
            "name": "Charge rate",
            "breakdown": "",
            "unit": "%",
            "better": "higher",
            "expected": "rise",
        }
    )
    compared = pd.DataFrame(
        [
            {"area": "Cambridgeshire", "role": "own", "series_role": "own", "period_kind": "month",
             "before_period": "Jan 2022", "before_value": 7.0, "after_period": "Jun 2022",
             "after_value": 6.5, "straddling": "Feb 2022", "latest_period": "Jun 2022",
             "illustrative": True},
            {"area": "Most similar group", "role": "similar", "series_role": "comparator",
             "period_kind": "month", "before_period": None, "before_value": None,
             "after_period": "Jun 2022", "after_value": 6.0, "straddling": None,
             "latest_period": "Jun 2022", "illustrative": False},
        ]
    )  # fmt: skip
    milestone = presenting.Milestone("completed", D(2022, 2, 9), "Complete", "In progress")
    sentence = presenting.change_sentence("RAPE1-R9", milestone, link, compared)
    assert sentence == (
        "Since RAPE1-R9 was completed (9 Feb 2022), the charge rate in Cambridgeshire fell "
        "from 7% to 6.5% (worse; not the way it was meant to move); in the most similar group "
        "(Most similar group) there is no figure on both sides to compare. Compared: Jan 2022, "
        "the last month wholly before 9 Feb 2022, with Jun 2022, the latest; Feb 2022 contains "
        "9 Feb 2022 and counts as neither. Illustrative figures, made up for the demo: not "
        "published statistics."
    )
    assert not CAUSAL.search(sentence)


def test_illustrative_figures_are_said_to_be_illustrative(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    result = ingest.import_path(
        fixture_db, "measures", ROOT / "data" / "examples" / "measures.csv",
        imported_by="demo", illustrative=True,
    )  # fmt: skip
    assert result.status == "committed"
    load(
        fixture_db,
        "links",
        "recommendation_id,measure,breakdown\nRAPE1-R1,Charge rate,Adult rape\n",
    )
    found = measures.linked_to(fixture_db, "RAPE1-R1", LATER).iloc[0]
    assert found["sentence"].endswith(
        "Illustrative figures, made up for the demo: not published statistics."
    )
    assert found["latest"] == "7.4% (illustrative), Jan - Mar 2022"
    assert found["comparator"] == "England and Wales (national): 6.3% (illustrative)"
    assert bool(found["illustrative"])


# --- The Outcomes page's table, and linked_to for other pages ---------------------------


def test_every_measure_with_its_latest_change_direction_comparator_and_links(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    load(
        outcomes_db,
        "measures",
        "measure,area,period,value,breakdown\n"
        "Charge rate,Cambridgeshire,Apr - Jun 2022,5.0,Adult rape\n",
    )
    everyone = presenting.Filters().selection()
    found = store.run_query(outcomes_db, "outcome_measures", **everyone, as_at=LATER, rec_ids=None)
    table = presenting.outcomes_table(found)
    assert table.to_dict("records") == [
        {
            "measure": "Charge rate (Adult rape)",
            "area": "Cambridgeshire",
            "latest": "5%, Apr - Jun 2022",
            "change over four periods": "▼ down 0.1 percentage points since Apr - Jun 2021",
            "direction": "Worse",
            "comparator": "England and Wales (national): 6.3%, Jan - Mar 2022",
            "linked recommendations": "RAPE1-R1",
            "rule": "%, higher is better",
        },
        {
            "measure": "Median days from report to charge",
            "area": "Cambridgeshire",
            "latest": "280 days, Apr 2021 - Mar 2022",
            "change over four periods": "fewer than five periods held",
            "direction": "—",
            "comparator": "England and Wales (national): 310 days",
            "linked recommendations": "RAPE1-R4",
            "rule": "days, lower is better",
        },
    ]
    # The shared filters select the measures linked to the recommendations they select.
    by_lead = store.run_query(
        outcomes_db, "outcome_measures", **{**everyone, "lead": "CPS RASSO Lead"}, as_at=LATER,
        rec_ids=None,
    )  # fmt: skip
    assert list(by_lead["name"]) == ["Median days from report to charge"]
    by_list = store.run_query(
        outcomes_db, "outcome_measures", **everyone, as_at=LATER, rec_ids=["RAPE1-R1"]
    )
    assert list(by_list["name"]) == ["Charge rate"]


def test_linked_to_gives_other_pages_each_linked_measure_in_one_row(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    found = measures.linked_to(outcomes_db, "RAPE1-R1", LATER)
    assert list(found.columns) == [
        "measure_id", "breakdown", "label", "unit", "better", "expected", "note", "latest",
        "comparator", "direction", "illustrative", "sentence",
    ]  # fmt: skip
    row = found.iloc[0]
    assert (row["label"], row["expected"], row["latest"]) == (
        "Charge rate (Adult rape)", "rise", "7.4%, Jan - Mar 2022",
    )  # fmt: skip
    assert row["sentence"].startswith("Since RAPE1-R1 was completed (13 Oct 2021)")
    assert measures.linked_to(outcomes_db, "RAPE1-R2", LATER).empty


# --- Charts --------------------------------------------------------------------------------


def test_the_trend_chart_names_each_area_and_marks_the_milestones(
    outcomes_db: duckdb.DuckDBPyConnection,
) -> None:
    series = store.run_query(
        outcomes_db, "measure_series", measure_id="charge rate", breakdown="Adult rape", as_at=LATER
    )
    frame = store.run_query(
        outcomes_db, "recommendation_milestones", rec_id="RAPE1-R1", as_at=LATER
    )
    milestones = presenting.milestones_of(frame)
    figure = measure_charts.measure_trend_chart(
        series, milestones, presenting.default_milestone(frame)
    )
    lines = [(t.name, t.line.dash, t.marker.symbol) for t in figure.data]
    assert lines == [
        ("Cambridgeshire (the Board's area)", "solid", "circle"),
        ("England and Wales (national)", "dash", "square"),
    ]
    words = [a.text for a in figure.layout.annotations]
    assert words == [
        "First reported 14 Jul 2021",
        "Compared from: Completed 13 Oct 2021",
        "Original due 31 Oct 2021",
    ]
    assert len(figure.layout.shapes) == 3
    assert measure_charts.measure_trend_summary(series) == (
        "Charge rate (Adult rape) in Cambridgeshire: 7.4% in Jan - Mar 2022; England and "
        "Wales (national): 6.3% in Jan - Mar 2022."
    )
    numbers = presenting.trend_numbers(series, presenting.default_milestone(frame))
    assert numbers.to_dict("list") == {
        "period": ["Apr - Jun 2021", "Jul - Sep 2021", "Oct - Dec 2021", "Jan - Mar 2022"],
        "Cambridgeshire (the Board's area)": ["5.1%", "5.5%", "6%", "7.4%"],
        "England and Wales (national)": ["5.8%", "6%", "6.1%", "6.3%"],
        "against 13 Oct 2021": ["before", "before", "neither (contains it)", "after"],
    }


# --- The demo ------------------------------------------------------------------------------


def test_the_demo_links_rape1_r4_to_illustrative_round_figures_here_and_nationally(
    tmp_path: Path,
) -> None:
    from cjb_tracker import seed

    con = store.connect(tmp_path / "demo.duckdb")
    try:
        seed.init_database(con, demo=True)
        found = measures.linked_to(con, "RAPE1-R4", D(2026, 12, 1))
        assert list(found["label"]) == [
            "Charge rate (Adult rape)",
            "Files meeting the national file standard",
            "Median days from report to charge (Adult rape)",
        ]
        assert list(found["expected"]) == ["rise", "rise", "fall"]
        for sentence in found["sentence"]:
            assert sentence.startswith("Since RAPE1-R4 was first reported (14 Jul 2021), the ")
            assert "in Cambridgeshire" in sentence and "nationally (England and Wales)" in sentence
            assert sentence.endswith(
                "Illustrative figures, made up for the demo: not published statistics."
            )
            assert not CAUSAL.search(sentence)
        # Every demo figure is illustrative and round: nothing that reads like a published
        # statistic to a decimal place.
        assert con.execute(
            "select count(*), count(*) filter (where illustrative),"
            " count(*) filter (where value <> round(value)) from measure_values_in_force"
        ).fetchall() == [(234, 234, 0)]  # 26 quarters: 3 areas of one measure, 2 of 3
        assert con.execute(
            "select count(*) from measures where source like 'ILLUSTRATIVE%'"
        ).fetchall() == [(4,)]
        # The demo's completed recommendations read from their completion.
        r13 = measures.linked_to(con, "RAPE1-R13", D(2026, 12, 1))["sentence"].iloc[0]
        assert r13.startswith(
            "Since RAPE1-R13 was completed (14 Jan 2026), the victim withdrawal rate (Adult "
            "rape) in Cambridgeshire fell from 40% to 38%"
        )
    finally:
        con.close()
