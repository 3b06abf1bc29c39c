"""One AppTest per page on the fixture database, asserting the values a user relies on,
and the upload flow: a bad file writes nothing, a good one commits, undo restores."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from helpers import add_test_accounts, read_html_table, sign_in, table_counts
from streamlit.testing.v1 import AppTest

from cjb_tracker import batches, ingest, presenting, store, upload_templates

DASHBOARD = str(Path(__file__).parents[1] / "dashboard.py")
# What dashboard.py shows for an error no code expected.
UNEXPECTED = (
    "Something went wrong while showing this page. Try again in a moment; if it happens "
    "again, tell the Board secretariat which page it was and when. The details are in the "
    "server's log."
)
OVERVIEW, RECOMMENDATIONS, MEETINGS, OVERDUE, UPLOAD = (
    "pages/1_overview.py",
    "pages/2_recommendations.py",
    "pages/3_meetings.py",
    "pages/4_overdue.py",
    "pages/5_upload.py",
)

GOOD_UPDATE = (
    b"recommendation_id,meeting_date,status,rag,update,evidence,reported_by\n"
    b"RAPE1-R3,12/01/2022,Complete,,Withdrawal reasons now recorded.,Audit Jan 2022,DS Patel\n"
)
OTHER_UPDATE = (
    b"recommendation_id,meeting_date,status,rag,update,reported_by\n"
    b"RAPE1-R2,12/01/2022,In progress,Amber,Referral pathway agreed.,ISVA Manager\n"
)
BAD_UPDATE = (
    b"recommendation_id,meeting_date,status,rag,update\n"
    b"RAPE1-R99,12/01/2022,In progress,Green,Unknown recommendation.\n"
    b"RAPE1-R2,12/01/2022,Bogus,Amber,Unknown status.\n"
)


def open_page(page: str | None = None, role: str = "chair", **params: str) -> AppTest:
    """A fresh session, signed in as the test account of `role`, opened on a page's URL
    with the given query string."""
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), role)
    at.query_params.update(params)
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame(at: AppTest, key: str) -> pd.DataFrame:
    """The table web.table drew under this key."""
    tables = at.get_by_key(f"table-{key}").dataframe
    assert len(tables) == 1
    return tables[0].value


def text_frame(at: AppTest, key: str) -> pd.DataFrame:
    """The table web.text_table drew under this key, as a reader sees it: each cell's
    shown text (all of it) under the shown column names."""
    drawn = at.get_by_key(f"table-{key}").html
    assert len(drawn) == 1
    return read_html_table(drawn[0].value)[0]


def number(shown: str) -> int:
    """A count as a table shows it ('1,797')."""
    return int(shown.replace(",", ""))


def dataframes(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(m.value.replace(",", "")) for m in at.metric}


def current_status_counts(path: Path) -> dict[str, int]:
    con = store.connect(path)
    try:
        rows = con.execute(
            "select count(*) filter (where is_open), count(*) filter (where status = 'Complete'),"
            " count(*) filter (where overdue),"
            " count(*) filter (where status = 'Awaiting national action'),"
            " count(*) filter (where status = 'Closure proposed'),"
            " count(*) filter (where is_open and due is null) from current_status"
        ).fetchall()[0]
    finally:
        con.close()
    labels = (
        "Open",
        "Complete",
        "Overdue",
        "Awaiting national action",
        "Closure proposed",
        "No due date",
    )
    return dict(zip(labels, rows, strict=True))


def rec_ids(table: pd.DataFrame) -> list[str]:
    return list(table["rec_id"])


def find_table(at: AppTest, column: str, value: Any) -> pd.DataFrame:
    """The first table with a row whose column holds value."""
    for table in dataframes(at):
        if column in table.columns and (table[column] == value).any():
            return table
    raise AssertionError(f"no table has {column} = {value!r}")


# --- Overview -------------------------------------------------------------------------


def test_overview_counts_match_current_status(dashboard_db: Path) -> None:
    expected = current_status_counts(dashboard_db)
    at = open_page()
    assert metrics(at) == expected
    assert expected == {
        "Open": 12,
        "Complete": 1,
        "Overdue": 3,
        "Awaiting national action": 1,
        "Closure proposed": 0,
        "No due date": 9,
    }
    assert at.caption[0].value.startswith("As at ")
    assert len(at.get("plotly_chart")) == 3
    assert not at.warning  # no illustrative-data banner on real data


def test_overview_respects_the_as_at_date_and_filters(dashboard_db: Path) -> None:
    before_october = open_page(as_at="2021-10-01")
    assert metrics(before_october)["Complete"] == 0
    assert metrics(before_october)["Overdue"] == 0
    assert "As at 1 Oct 2021" in before_october.caption[0].value

    patel = open_page(lead="DS Patel")
    assert metrics(patel) | {} == {
        "Open": 1,
        "Complete": 1,
        "Overdue": 1,
        "Awaiting national action": 0,
        "Closure proposed": 0,
        "No due date": 0,
    }
    assert patel.selectbox(key="lead").value == "DS Patel"


# --- Recommendations ------------------------------------------------------------------


def test_recommendations_table_lists_and_searches(dashboard_db: Path) -> None:
    at = open_page(RECOMMENDATIONS)
    table = frame(at, "recommendation_table")
    assert rec_ids(table) == [f"RAPE1-R{n}" for n in range(1, 14)]
    r4 = table.set_index("rec_id").loc["RAPE1-R4"]
    assert (r4["status"], r4["rag"], r4["lead"]) == (
        "Awaiting national action",
        "Red",
        "CPS RASSO Lead",
    )
    assert table["link"].iloc[0] == "recommendations?rec=RAPE1-R1"

    searched = open_page(RECOMMENDATIONS, q="protected characteristics")
    assert rec_ids(frame(searched, "recommendation_table")) == ["RAPE1-R1"]


def test_a_long_table_is_read_a_page_at_a_time(
    dashboard_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presenting, "PAGE_ROWS", 5)  # 13 recommendations: three pages
    at = open_page(RECOMMENDATIONS)
    assert rec_ids(frame(at, "recommendation_table")) == [f"RAPE1-R{n}" for n in range(1, 6)]
    captions = [c.value for c in at.caption if c.value.startswith("Rows ")]
    assert captions == [
        "Rows 1 to 5 of 13. Use Previous and Next, or narrow them with the filters in the "
        "sidebar or the search."  # the search box above the list
    ]
    assert at.button(key="recommendation_table_previous").disabled
    at.button(key="recommendation_table_next").click().run()
    at.button(key="recommendation_table_next").click().run()
    assert rec_ids(frame(at, "recommendation_table")) == [f"RAPE1-R{n}" for n in range(11, 14)]
    assert at.button(key="recommendation_table_next").disabled
    # The picker offers the page shown; a narrower search starts again at its first page.
    assert list(at.selectbox(key="rec_choice").options)[0].startswith("RAPE1-R11")
    at.text_input(key="q").input("rape1").run()  # all 13 match: page 3 exists, yet page 1
    assert not at.exception, [e.value for e in at.exception]
    first = rec_ids(frame(at, "recommendation_table"))
    assert first[0] == "RAPE1-R1" and len(first) == 5
    assert at.button(key="recommendation_table_previous").disabled


def test_recommendation_detail_shows_updates_newest_first_and_due_history(
    dashboard_db: Path,
) -> None:
    at = open_page(RECOMMENDATIONS, rec="RAPE1-R4")
    assert at.header[0].value.startswith("RAPE1-R4: ")
    texts = [t.value for t in at.text]
    headings = [t for t in texts if " · reported by " in t]
    assert headings == [
        "13 Oct 2021 · CJB · Awaiting national action (Red) · reported by CPS RASSO Lead",
        "14 Jul 2021 · CJB · In progress (Amber) · reported by CPS RASSO Lead",
    ]
    assert "Total days slipped against the original due date: 90" in texts
    history = find_table(at, "reason", "Awaiting NPCC/CPS national framework")
    assert list(history["due date"]) == ["31 Dec 2021", "31 Mar 2022"]
    assert list(find_table(at, "scope", "national")["addressee"])[0] == "Police forces"
    timeline = at.get("plotly_chart")[0].proto.spec
    assert "Awaiting national action" in timeline


def test_a_long_history_shows_its_newest_updates_until_asked_for_every_one(
    dashboard_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presenting, "UPDATE_CARDS", 1)  # RAPE1-R4 has two updates

    def headings(at: AppTest) -> list[str]:
        return [t.value.split(" · ")[0] for t in at.text if " · reported by " in t.value]

    at = open_page(RECOMMENDATIONS, rec="RAPE1-R4")
    assert headings(at) == ["13 Oct 2021"]
    assert "The newest 1 of 2 updates." in [c.value for c in at.caption]
    at.toggle(key="every_update").set_value(True).run()
    assert headings(at) == ["13 Oct 2021", "14 Jul 2021"]


def test_user_written_text_is_shown_literally(dashboard_db: Path) -> None:
    narrative = (
        "<script>alert(1)</script> [click](javascript:alert(1)) ![x](http://evil.test/a.png)"
    )
    con = store.connect(dashboard_db)
    data = (
        "recommendation_id,meeting_date,status,rag,update\n"
        f'RAPE1-R2,12/01/2022,In progress,Amber,"{narrative}"\n'
    ).encode()
    assert ingest.import_file(con, "updates", "x.csv", data, imported_by="t").status == "committed"
    con.close()
    at = open_page(RECOMMENDATIONS, rec="RAPE1-R2")
    assert narrative in [t.value for t in at.text]
    assert not any("evil.test" in m.value for m in at.markdown)


# --- Meetings -------------------------------------------------------------------------


def test_meetings_page_lists_status_changes_and_missing_updates(dashboard_db: Path) -> None:
    at = open_page(MEETINGS, meeting="CJB:2021-10-13")
    assert at.selectbox(key="meeting_choice").value == "CJB:2021-10-13"
    changed = text_frame(at, "changes-status-changed")
    assert list(zip(changed["rec id"], changed["before"], changed["after"], strict=True)) == [
        ("RAPE1-R1", "In progress", "Complete"),
        ("RAPE1-R4", "In progress", "Awaiting national action"),
    ]
    due_changed = text_frame(at, "changes-due-date-changed")
    assert list(due_changed["after"]) == ["31 Mar 2022"]
    owed = frame(at, "owed")
    assert {"RAPE1-R2", "RAPE1-R3"} <= set(owed["rec_id"])
    assert not {"RAPE1-R1", "RAPE1-R4"} & set(owed["rec_id"])
    assert owed.set_index("rec_id").loc["RAPE1-R2", "lead"] == "ISVA Manager"


def test_meetings_page_opens_on_the_most_recent_meeting(dashboard_db: Path) -> None:
    at = open_page(MEETINGS)
    assert at.selectbox(key="meeting_choice").value == "CJB:2022-01-12"
    owed = frame(at, "owed")
    assert "RAPE1-R4" in set(owed["rec_id"])  # updated in October, not in January


# --- Overdue --------------------------------------------------------------------------


def test_overdue_page_lists_overdue_items_and_not_complete_ones(dashboard_db: Path) -> None:
    at = open_page(OVERDUE)
    overdue = text_frame(at, "overdue_table")
    assert set(overdue["rec id"]) == {"RAPE1-R2", "RAPE1-R3", "RAPE1-R4"}
    r4 = overdue.set_index("rec id").loc["RAPE1-R4"]
    assert number(r4["days past original"]) - number(r4["days overdue"]) == 90
    assert r4["revisions"] == "1"
    assert (r4["due"], r4["original due"]) == ("31 Mar 2022", "31 Dec 2021")
    assert list(text_frame(at, "undated_table")["rec id"]) == [f"RAPE1-R{n}" for n in range(5, 14)]
    assert "RAPE1-R1" not in list(text_frame(at, "stale_table")["rec id"])
    by_lead = frame(at, "overdue_groups")
    assert dict(zip(by_lead["lead"], by_lead["recommendations"], strict=True)) == {
        "ISVA Manager": 1,
        "DS Patel": 1,
        "CPS RASSO Lead": 1,
    }


def test_a_paged_table_without_a_search_does_not_offer_one(
    dashboard_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presenting, "PAGE_ROWS", 5)  # 9 recommendations undated, 11 stale
    at = open_page(OVERDUE)
    assert "search" not in " ".join(t.label for t in at.text_input)  # the page has none
    captions = [c.value for c in at.caption if c.value.startswith("Rows ")]
    assert captions == [
        f"Rows 1 to 5 of {n}. Use Previous and Next, or narrow them with the filters in the "
        "sidebar."
        for n in (9, 11)
    ]


# --- Closure decisions ----------------------------------------------------------------

DECISIONS = "pages/6_decisions.py"
PROPOSAL = (
    b"recommendation_id,meeting_date,status,rag,update,evidence,reported_by\n"
    b"RAPE1-R3,12/01/2022,Closure proposed,,Withdrawal reasons now recorded.,Audit Jan 2022,"
    b"DS Patel\n"
)


def current_status(db: Path, rec_id: str) -> str:
    con = store.connect(db)
    try:
        return str(
            store.scalar(con, "select status from current_status where rec_id = ?", [rec_id])
        )
    finally:
        con.close()


def proposed_page(db: Path) -> AppTest:
    """The decisions page with RAPE1-R3 proposed for closure at the 12 Jan 2022 meeting."""
    con = store.connect(db)
    assert ingest.import_file(con, "updates", "p.csv", PROPOSAL, imported_by="t").status == (
        "committed"
    )
    con.close()
    return open_page(DECISIONS)


def record_the_decision(at: AppTest) -> AppTest:
    at.button(key="decide_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_decisions_page_lists_a_proposed_closure_with_the_meetings_that_may_decide_it(
    dashboard_db: Path,
) -> None:
    at = proposed_page(dashboard_db)
    assert at.header[0].value == "Waiting for a decision (1)"
    assert rec_ids(frame(at, "proposed_closures")) == ["RAPE1-R3"]
    assert [t.value for t in at.text][:2] == ["Withdrawal reasons now recorded.", "Audit Jan 2022"]
    # Proposed for the meeting of 12 Jan 2022: that meeting (or a later one held) decides.
    assert list(at.selectbox(key="decide_meeting").options) == [
        "CJB · 12 Jan 2022 — Board meeting January 2022"
    ]


def test_accepting_a_closure_needs_the_minute_and_then_completes_it(dashboard_db: Path) -> None:
    at = record_the_decision(proposed_page(dashboard_db))  # accepted is chosen; no minute
    assert [e.value for e in at.error] == [
        "Give the minute reference of the Board's decision to accept."
    ]
    assert at.header[0].value == "Waiting for a decision (1)"
    assert current_status(dashboard_db, "RAPE1-R3") == "Closure proposed"

    at.text_input(key="decide_minute").input("CJB/2022/01/4")
    at = record_the_decision(at)
    [recorded] = [s.value for s in at.success]
    assert re.fullmatch(
        r"Recorded as batch \d+: the closure of RAPE1-R3 was accepted; it is Complete\.", recorded
    )
    assert at.header[0].value == "Waiting for a decision (0)"
    assert not at.error
    assert current_status(dashboard_db, "RAPE1-R3") == "Complete"
    assert at.session_state["decide_minute"] == ""  # not carried to the next proposal


def test_not_accepting_a_closure_needs_the_reason_and_then_reopens_it(dashboard_db: Path) -> None:
    at = proposed_page(dashboard_db)
    at.radio(key="decide_accepted").set_value(False)
    at = record_the_decision(at)
    assert [e.value for e in at.error] == ["Give the reason the Board did not accept the closure."]
    assert current_status(dashboard_db, "RAPE1-R3") == "Closure proposed"

    at.text_area(key="decide_reason").input("The audit covered one district only.")
    at = record_the_decision(at)
    assert [s.value for s in at.success][0].endswith("was not accepted; it is In progress.")
    assert current_status(dashboard_db, "RAPE1-R3") == "In progress"


# --- Upload ---------------------------------------------------------------------------


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="upload_file").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_bad_file_shows_its_problems_and_writes_nothing(dashboard_db: Path) -> None:
    con = store.connect(dashboard_db)
    before = table_counts(con)
    con.close()
    at = upload(open_page(UPLOAD), "bad.csv", BAD_UPDATE)
    problems = text_frame(at, "upload_errors")
    assert {
        (r, c, p)
        for r, c, p in zip(problems["row"], problems["column"], problems["problem"], strict=True)
    } >= {("2", "recommendation_id", "foreign-key"), ("3", "status", "constraint-error")}
    assert at.button(key="commit").disabled
    con = store.connect(dashboard_db)
    assert table_counts(con) == before
    con.close()


def test_a_good_file_commits_and_undo_restores(dashboard_db: Path) -> None:
    at = upload(open_page(UPLOAD), "good.csv", GOOD_UPDATE)
    preview = frame(at, "upload_preview")
    assert list(preview["changes status"]) == ["yes: Not started → Complete"]
    assert not at.button(key="commit").disabled

    at.button(key="commit").click().run()
    assert [s.value for s in at.success][-1].startswith("Committed as batch ")
    assert at.button(key="commit").disabled  # one file, one commit
    assert not [h for h in at.subheader if h.value.startswith("Preview")]  # not re-checked

    at.switch_page(OVERVIEW).run()
    assert metrics(at)["Complete"] == 2

    at.switch_page(UPLOAD).run()
    batch = next(iter(at.selectbox(key="undo_batch").options))
    assert "good.csv" in batch
    batch_id = int(batch.split(" ")[1])  # 'Batch 7 · updates · good.csv · by chair'
    at.selectbox(key="undo_batch").set_value(batch_id).run()
    at.button(key="undo").click().run()
    assert not at.exception
    assert any("is undone" in s.value for s in at.success)

    at.switch_page(OVERVIEW).run()
    assert metrics(at)["Complete"] == 1


def test_a_commit_says_what_became_of_it_once_not_under_the_next_file(
    dashboard_db: Path,
) -> None:
    at = upload(open_page(UPLOAD), "good.csv", GOOD_UPDATE)
    at.button(key="commit").click().run()
    assert [s.value for s in at.success][-1].startswith("Committed as batch ")

    at = upload(at, "other.csv", OTHER_UPDATE)  # the next file
    assert [s.value for s in at.success] == ["The file is valid: 1 row(s) ready to commit."]
    assert not at.button(key="commit").disabled


def test_a_commit_that_fails_is_shown_as_an_error_and_can_be_tried_again(
    dashboard_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = upload(open_page(UPLOAD), "good.csv", GOOD_UPDATE)
    monkeypatch.setattr(batches, "WRITE_WAIT_SECONDS", 0.2)
    con = store.connect(dashboard_db)
    try:  # another change is being saved for longer than the commit waits
        with batches.writing(con, conflict="(the other writer's)"):
            at.button(key="commit").click().run()
    finally:
        con.close()
    assert [e.value for e in at.error] == [batches.STILL_SAVING]
    assert not at.warning
    assert not at.button(key="commit").disabled  # nothing was written: commit again

    at.button(key="commit").click().run()
    assert [s.value for s in at.success][-1].startswith("Committed as batch ")
    assert not at.error


def test_the_upload_history_is_read_a_page_at_a_time(
    dashboard_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presenting, "PAGE_ROWS", 4)  # six batches: two pages
    at = open_page(UPLOAD)
    assert list(frame(at, "import_history")["batch_id"]) == [6, 5, 4, 3]
    assert "Rows 1 to 4 of 6. Use Previous and Next." in [c.value for c in at.caption]
    at.button(key="import_history_next").click().run()
    assert list(frame(at, "import_history")["batch_id"]) == [2, 1]
    # Every upload that can be undone is offered, not only those on the page shown.
    assert list(at.selectbox(key="undo_batch").options) == [
        "Batch 6 · updates · updates_oct.csv · by fixture",
        "Batch 5 · updates · updates_jul.csv · by fixture",
        "Batch 4 · recommendations · leads.csv · by fixture",
        "Batch 3 · meetings · meetings.csv · by fixture",
        "Batch 2 · recommendations · recommendations.csv · by Source letter (PCC, 13 Sep 2021)",
    ]


def add_meeting_ahead(path: Path) -> str:
    """A Board meeting 30 days from today (the fixture's meetings are all past): the date
    an updates template is named for, as yyyy-mm-dd."""
    ahead = dt.date.today() + dt.timedelta(days=30)
    con = store.connect(path)
    try:
        data = f"body,date\nCJB,{ahead:%d/%m/%Y}\n".encode()
        assert ingest.import_file(con, "meetings", "m.csv", data).status == "committed"
    finally:
        con.close()
    return f"{ahead:%Y-%m-%d}"


def test_upload_page_offers_csv_and_xlsx_templates(dashboard_db: Path) -> None:
    ahead = add_meeting_ahead(dashboard_db)
    at = open_page(UPLOAD)
    labels = [b.label for b in at.download_button]
    assert labels == [f"Download updates-{ahead}.csv", f"Download updates-{ahead}.xlsx"]
    history = frame(at, "import_history")
    assert list(history["file_name"])[:3] == ["m.csv", "updates_oct.csv", "updates_jul.csv"]


def test_upload_page_says_why_there_is_no_template(dashboard_db: Path) -> None:
    # Every meeting of the fixture is past: an update has no meeting to go to, so there is
    # no file (it would have held rows with no meeting date, rejected when sent back).
    at = open_page(UPLOAD, role="lead")
    assert not at.download_button
    assert [i.value for i in at.info] == [
        "1 open recommendation(s), but no meeting of CJB is planned, so an update has no "
        "meeting to go to. Ask the secretariat to add the next meeting, then download the "
        "template."
    ]


def test_a_big_template_is_built_when_asked_for(
    dashboard_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upload_templates, "EAGER_ROWS", 5)  # the chair's template holds 12
    ahead = add_meeting_ahead(dashboard_db)
    at = open_page(UPLOAD)
    assert not at.download_button
    assert "The template holds 12 open recommendations." in [c.value for c in at.caption]
    at.button(key="prepare_templates").click().run()
    labels = [b.label for b in at.download_button]
    assert labels == [f"Download updates-{ahead}.csv", f"Download updates-{ahead}.xlsx"]


@pytest.mark.parametrize("page", [OVERVIEW, RECOMMENDATIONS, MEETINGS, OVERDUE, UPLOAD])
def test_every_page_opens_on_a_seed_only_database(
    seeded_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    add_test_accounts(seeded_db)
    seeded_db.close()
    monkeypatch.setenv("CJB_TRACKER_DB", str(tmp_path / "tracker.duckdb"))
    at = open_page(page)
    assert not at.error


def test_an_undo_that_is_refused_shows_a_sentence_not_a_traceback(dashboard_db: Path) -> None:
    at = open_page(UPLOAD)
    meetings_batch = next(
        int(label.split(" ")[1])
        for label in at.selectbox(key="undo_batch").options
        if "meetings.csv" in label
    )
    at.selectbox(key="undo_batch").set_value(meetings_batch).run()
    at.button(key="undo").click().run()
    assert not at.exception
    assert any("Undo those first" in e.value for e in at.error)


def test_illustrative_data_is_announced_on_every_page(dashboard_db: Path) -> None:
    con = store.connect(dashboard_db)
    data = b"recommendation_id,meeting_date,status,rag,update\nRAPE1-R3,12/01/2022,In progress,Green,Demo\n"  # noqa: E501
    from cjb_tracker import ingest

    result = ingest.import_file(con, "updates", "demo.csv", data, illustrative=True)
    assert result.status == "committed"
    con.close()
    for page in (OVERVIEW, UPLOAD):
        at = open_page(page)
        assert any("illustrative demo data" in w.value for w in at.warning)


def test_a_missing_database_is_a_sentence_not_a_new_empty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere.duckdb"
    monkeypatch.setenv("CJB_TRACKER_DB", str(missing))
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert any("no tracker database" in e.value for e in at.error)
    assert not missing.exists()


# --- An error no code expected (BAD-INPUTS.md item 33) -----------------------------------


class KeptLog(logging.Handler):
    """Every record a logger emits, formatted as the server's log prints it."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_an_unexpected_error_is_a_plain_sentence_with_the_details_in_the_log(
    dashboard_db: Path,
) -> None:
    # A damaged file: a table the pages read is gone, so the Overview's first query raises
    # DuckDB's own CatalogException, not one of the tracker's errors.
    con = store.connect(dashboard_db)
    con.execute("drop table positions")
    con.close()
    logger = logging.getLogger("cjb_tracker.dashboard")
    kept = KeptLog()
    logger.addHandler(kept)
    try:
        at = open_page()  # asserts no exception element (Streamlit's own error box)
    finally:
        logger.removeHandler(kept)
    assert [e.value for e in at.error] == [UNEXPECTED]
    shown = [e.value for e in (*at.error, *at.warning, *at.markdown, *at.text, *at.caption)]
    assert not [s for s in shown if "positions" in s or "Catalog" in s or "Traceback" in s]
    # The server's log has what happened, where, and the traceback.
    assert len(kept.lines) == 1
    assert kept.lines[0].startswith("Unexpected error on the page 'Overview'")
    assert "Traceback (most recent call last)" in kept.lines[0]
    assert "CatalogException" in kept.lines[0] and "positions does not exist" in kept.lines[0]
