"""The Outcomes page and a recommendation's measures, run as a user runs them (AppTest, issue
18): every measure with its latest figure, change, direction and comparator; each chart with
its sentence and numbers; on a recommendation's page, what moved since its milestone beside
its history, another milestone chosen, and the chair linking and unlinking a measure. The
Upload page takes a measures file in the published shape."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import read_html_table, sign_in
from streamlit.testing.v1 import AppTest

from cjb_tracker import ingest, store

ROOT = Path(__file__).parents[1]
DASHBOARD = str(ROOT / "dashboard.py")
OUTCOMES, RECOMMENDATIONS, UPLOAD = (
    "pages/10_outcomes.py",
    "pages/2_recommendations.py",
    "pages/5_upload.py",
)


@pytest.fixture
def outcomes_db(dashboard_db: Path) -> Path:
    """The dashboard's fixture database with data/examples' measures (illustrative, as the
    demo's are) and two links: R1 (completed 13 Oct 2021) to the charge rate, R4 to days to
    charge."""
    con = store.connect(dashboard_db)
    try:
        for kind, name in (("measures", "measures.csv"), ("links", "links.csv")):
            result = ingest.import_path(
                con, kind, ROOT / "data" / "examples" / name, imported_by="test", illustrative=True
            )
            assert result.status == "committed", result.errors
        data = (
            b"recommendation_id,measure,breakdown,expected\nRAPE1-R1,Charge rate,Adult rape,rise\n"
        )
        result = ingest.import_file(con, "links", "r1.csv", data, imported_by="test")
        assert result.status == "committed", result.errors
    finally:
        con.close()
    return dashboard_db


def open_page(page: str, role: str = "member", **params: str) -> AppTest:
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=90), role)
    at.query_params.update({"as_at": "2026-12-01", **params})
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table(at: AppTest, key: str) -> pd.DataFrame:
    found = at.get_by_key(f"table-{key}").dataframe
    assert len(found) == 1
    return found[0].value


def text_frame(at: AppTest, key: str) -> pd.DataFrame:
    """The table web.text_table drew under this key, as a reader sees it."""
    drawn = at.get_by_key(f"table-{key}").html
    assert len(drawn) == 1
    return read_html_table(drawn[0].value)[0]


def texts(at: AppTest) -> str:
    """Every markdown and text element, unescaped, as one string."""
    parts = [m.value for m in at.markdown] + [t.value for t in at.text]
    return "\n".join(parts).replace("\\", "")


def test_the_outcomes_page_shows_every_measure_with_its_charts_and_numbers(
    outcomes_db: Path,
) -> None:
    at = open_page(OUTCOMES)
    shown = table(at, "outcomes")
    assert list(shown["measure"]) == [
        "Charge rate (Adult rape)",
        "Median days from report to charge",
    ]
    assert list(shown["latest"]) == [
        "7.4% (illustrative), Jan - Mar 2022",
        "280 days (illustrative), Apr 2021 - Mar 2022",
    ]
    assert list(shown["direction"]) == ["—", "—"]  # fewer than five periods of each
    assert list(shown["comparator"]) == [
        "England and Wales (national): 6.3% (illustrative)",
        "England and Wales (national): 310 days (illustrative)",
    ]
    assert list(shown["linked recommendations"]) == ["RAPE1-R1, RAPE1-R4", "RAPE1-R4"]
    assert any("Illustrative figures" in w.value for w in at.warning)
    # Each measure: its chart, its summary sentence and its numbers.
    assert len(at.get("plotly_chart")) == 2
    assert "Charge rate (Adult rape) in Cambridgeshire: 7.4% in Jan - Mar 2022" in texts(at)
    # Each measure's caption names its rule and the recommendations linked to it.
    captions = [c.value for c in at.caption]
    assert any(c.startswith("%, higher is better · linked to RAPE1-R1, RAPE1-R4") for c in captions)
    assert any(c.startswith("days, lower is better · linked to RAPE1-R4 ·") for c in captions)
    numbers = table(at, "outcome_0_numbers")
    assert list(numbers.columns) == [
        "period",
        "Cambridgeshire (the Board's area)",
        "England and Wales (national)",
    ]
    assert numbers.iloc[-1].tolist() == [
        "Jan - Mar 2022",
        "7.4% (illustrative)",
        "6.3% (illustrative)",
    ]


def test_the_outcomes_page_follows_the_shared_filters(outcomes_db: Path) -> None:
    at = open_page(OUTCOMES, lead="DS Patel")  # R1 is DS Patel's, R4 is not
    assert list(table(at, "outcomes")["measure"]) == ["Charge rate (Adult rape)"]
    assert "lead: DS Patel" in at.caption[0].value


def test_a_recommendation_shows_what_its_measures_did_since_its_milestone(
    outcomes_db: Path,
) -> None:
    at = open_page(RECOMMENDATIONS, rec="RAPE1-R1")
    assert "Outcome measures it is meant to move" in [h.value for h in at.subheader]
    assert at.selectbox(key="milestone_RAPE1-R1").value == "completed:2021-10-13"
    said = texts(at)
    assert (
        "Since RAPE1-R1 was completed (13 Oct 2021), the charge rate (Adult rape) in "
        "Cambridgeshire rose from 5.5% to 7.4% (better; the way it was meant to move); "
        "nationally (England and Wales) it rose from 6% to 6.3%." in said
    )
    assert "Illustrative figures, made up for the demo: not published statistics." in said
    numbers = table(at, "linked_0_numbers")
    assert numbers["against 13 Oct 2021"].tolist() == [
        "before", "before", "neither (contains it)", "after",
    ]  # fmt: skip
    # The status timeline and the measure's trend, both on the page.
    assert len(at.get("plotly_chart")) == 2
    # A member reads; only the chair links.
    assert not [b for b in at.button if b.key == "link_measure"]

    at.selectbox(key="milestone_RAPE1-R1").set_value("reported:2021-07-14").run()
    assert not at.exception
    assert "Since RAPE1-R1 was first reported (14 Jul 2021), the charge rate (Adult rape)" in texts(
        at
    )
    assert "against 14 Jul 2021" in table(at, "linked_0_numbers").columns


def test_a_recommendation_with_no_measure_says_so(outcomes_db: Path) -> None:
    at = open_page(RECOMMENDATIONS, rec="RAPE1-R2")
    assert "No outcome measures are linked to this recommendation yet." in texts(at)


def test_the_chair_links_and_unlinks_a_measure_on_the_page(outcomes_db: Path) -> None:
    at = open_page(RECOMMENDATIONS, role="chair", rec="RAPE1-R2")
    at.selectbox(key="link_series").set_value("median days from report to charge\t").run()
    at.radio(key="link_expected").set_value("fall")
    at.text_input(key="link_note").input("Support keeps victims engaged")
    at.button(key="link_measure").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(
        "RAPE1-R2 is linked to Median days from report to charge (batch" in s.value
        for s in at.success
    )
    assert "Since RAPE1-R2" in texts(at) or "RAPE1-R2 has no report" in texts(at)
    assert table(at, "linked_0_numbers").shape[0] == 3

    at.selectbox(key="unlink_series").set_value("median days from report to charge\t").run()
    at.button(key="unlink_measure").click().run()
    assert not at.exception
    assert any("RAPE1-R2 is no longer linked" in s.value for s in at.success)
    assert "No outcome measures are linked to this recommendation yet." in texts(at)
    history = table(at, "link_history")
    shown = history[["change", "expected", "recorded_by", "batch_status"]].fillna("—")
    assert shown.values.tolist() == [
        ["link taken away", "—", "chair", "committed"],
        ["linked", "fall", "chair", "committed"],
    ]
    con = store.connect(outcomes_db)
    try:
        assert con.execute(
            "select linked, note from measure_link_records where rec_id = 'RAPE1-R2'"
            " order by record_id"
        ).fetchall() == [(True, "Support keeps victims engaged"), (False, None)]
    finally:
        con.close()


PUBLISHED = (
    b"stage,metric_name,date_granularity,time_period,value,offence_type,geographic_area_name\n"
    b"Charge,Charge rate,Quarter,Apr - Jun 2022,7.9,Adult rape,Cambridgeshire\n"
    b"Charge,Charge rate,Quarter,Apr - Jun 2022,6.5,Adult rape,England and Wales\n"
    b"Charge,Charge rate,Quarter,Apr - Jun 2022,5.2,Adult rape,Norfolk\n"
)


def test_the_upload_page_takes_a_published_file_reading_only_the_areas_held(
    outcomes_db: Path,
) -> None:
    at = open_page(UPLOAD, role="chair")
    at.radio(key="kind").set_value("measures").run()
    at.file_uploader(key="upload_file").set_value(("cjs.csv", PUBLISHED, "text/csv"))
    at.run()
    assert not at.exception
    errors = text_frame(at, "upload_errors")
    assert errors[["row", "column", "problem"]].values.tolist() == [["4", "area", "foreign-key"]]
    assert at.button(key="commit").disabled

    at.checkbox(key="only_held").check().run()
    warnings = text_frame(at, "upload_warnings")
    assert "No area 'Norfolk' is held: its 1 row(s) are skipped" in warnings["message"].iloc[0]
    preview = table(at, "upload_preview")
    assert preview["will_write"].tolist() == [True, True, False]
    at.button(key="commit").click().run()
    assert [s.value for s in at.success][-1].startswith("Committed as batch ")

    at = open_page(OUTCOMES)
    assert table(at, "outcomes")["latest"].iloc[0] == "7.9%, Apr - Jun 2022"
