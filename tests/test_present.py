"""Presenting mode (issue 17): a meeting's agenda one recommendation a screen, in the order
the meeting takes it, moved through with Previous, Next and the jump list; each screen's
facts as at the meeting; the chair's decision one click away; every role may present, and
presenting writes nothing. On the demo database's January 2027 Board (CJB:2027-01-13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest
from helpers import read_html_table, sign_in, table_counts
from streamlit.testing.v1 import AppTest

from cjb_tracker import ingest, presenting, store

DASHBOARD = str(Path(__file__).parents[1] / "dashboard.py")
PRESENT, DECISIONS = "pages/11_present.py", "pages/6_decisions.py"
JANUARY_2027 = "CJB:2027-01-13"
# Closure proposed for decision; newly overdue (due 31 Dec 2026); overdue already.
JANUARY_AGENDA = [
    ("RAPE1-R6", 1),
    ("RAPE1-R11", 3),
    ("RAPE2-R6", 3),
    ("RAPE1-R3", 4),
    ("RAPE1-R4", 4),
    ("RAPE1-R12", 4),
]
PROPOSALS = (
    b"recommendation_id,meeting_date,status,rag,update,evidence,reported_by\n"
    b"RAPE1-R2,12/01/2022,Closure proposed,,Referral pathway live.,Pathway v1,ISVA Manager\n"
    b"RAPE1-R3,12/01/2022,Closure proposed,,Withdrawal reasons recorded.,Audit Jan 2022,"
    b"DS Patel\n"
)


def present(role: str = "demo-chair", **params: str) -> AppTest:
    at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), role)
    at.query_params.update({"meeting": JANUARY_2027, **params})
    at.switch_page(PRESENT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def screen(at: AppTest) -> str:
    """The screen's markup (markup.present_head, then present_body)."""
    parts = [h.value for h in at.html if 'class="cjb-present"' in h.value]
    assert len(parts) == 2
    return "".join(parts)


def heading(at: AppTest) -> str:
    return screen(at).split("<h1>", 1)[1].split("</h1>", 1)[0]


def where(at: AppTest) -> str:
    """'1 of 6', as the controls say it."""
    [said] = [m.value for m in at.markdown if m.value.startswith("**") and " of " in m.value]
    return said.strip("*")


def decision_links(at: AppTest) -> list[Any]:
    """The links on the screen to the Closure decisions page (not the sidebar's)."""
    return [link for link in at.page_link if link.proto.label.startswith("Record the Board")]


def agenda(con: duckdb.DuckDBPyConnection, meeting_id: str) -> list[tuple[str, int]]:
    found = store.run_query(con, "meeting_agenda", meeting_id=meeting_id)
    return list(zip(found["rec_id"], found["section"], strict=True))


def demo_counts(db: Path) -> dict[str, int]:
    """Every data table's rows, and the batches and audit events recorded."""
    con = store.connect(db)
    try:
        counts = table_counts(con)
        for table in ("import_batches", "audit_events"):
            counts[table] = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    finally:
        con.close()
    return counts


# --- Which meeting, and its agenda --------------------------------------------------------


def test_presenting_opens_on_the_meeting_about_to_be_held(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    meetings = store.run_query(fixture_db, "meeting_list")
    opened = {
        day: presenting.presenting_meeting(meetings, dt.date.fromisoformat(day))
        for day in ("2021-09-01", "2021-09-08", "2021-09-09", "2023-01-01")
    }
    assert opened == {
        "2021-09-01": "RASSO-STRATEGIC:2021-09-08",  # the next meeting of any body
        "2021-09-08": "RASSO-STRATEGIC:2021-09-08",  # on the day itself
        "2021-09-09": "CJB:2021-10-13",
        "2023-01-01": "CJB:2022-01-12",  # none to come: the latest held
    }


def test_the_january_2027_agenda_takes_the_closure_then_the_overdue(
    demo_dashboard_db: Path,
) -> None:
    con = store.connect(demo_dashboard_db)
    try:
        assert agenda(con, JANUARY_2027) == JANUARY_AGENDA
    finally:
        con.close()


def test_the_agenda_takes_closures_then_changes_then_overdue_then_the_rest(
    fixture_db: duckdb.DuckDBPyConnection,
) -> None:
    # October 2021: R1 went Complete and R4 changed status and RAG (changes, closed ones
    # too); the other open ones follow. January 2022, once R2 and R3 are proposed for
    # closure: they come first.
    october = agenda(fixture_db, "CJB:2021-10-13")
    assert october[:2] == [("RAPE1-R1", 2), ("RAPE1-R4", 2)]
    assert october[2:] == [(f"RAPE1-R{n}", 5) for n in (2, 3, *range(5, 14))]
    result = ingest.import_file(fixture_db, "updates", "p.csv", PROPOSALS, imported_by="t")
    assert result.status == "committed", result.errors
    january = agenda(fixture_db, "CJB:2022-01-12")
    assert january[:2] == [("RAPE1-R2", 1), ("RAPE1-R3", 1)]
    assert ("RAPE1-R1", 2) not in january  # closed before, unchanged: not on the agenda


# --- The screens ------------------------------------------------------------------------


def test_a_screen_states_where_the_recommendation_stands_at_the_meeting(
    demo_dashboard_db: Path,
) -> None:
    at = present()
    assert where(at) == "1 of 6"
    shown = screen(at)
    assert heading(at) == "RAPE1-R6: Review how no further action decisions reach victims"
    assert (
        '<p class="section">CJB · 13 Jan 2027 — Board meeting, January 2027 · Closure proposed '
        "for decision</p>" in shown
    )
    facts = dict(
        zip(
            [d.split("</dt>")[0] for d in shown.split("<dt>")[1:]],
            [d.split("<dd>", 1)[1].split("</dd>")[0] for d in shown.split("<dt>")[1:]],
            strict=True,
        )
    )
    assert facts["Status"].endswith(">Closure proposed</span>")  # the word on its colour
    assert "background: #4B9DCB" in facts["Status"]
    assert facts["RAG"].endswith(">Green</span> (on track)")
    assert facts["Due"] == "31 Dec 2026: 13 days overdue at this meeting"
    assert facts["Original due date"].startswith(
        "30 Sep 2022; slipped 1,553 days over 3 revisions (latest, 9 Jul 2025: Evaluation extended"
    )
    # The latest update in full, and the evidence for the closure it proposes.
    assert (
        "Reported for the CJB meeting of 14 Oct 2026 by Head of Victim and Witness Hub "
        "(Police). No update was given for this meeting." in shown
    )
    assert "<h2>Next steps</h2>" in shown
    assert "<h2>Evidence for closure</h2>" in shown
    assert "Evaluation report endorsed by the RASSO Strategic Group, 9 September 2026" in shown
    assert "No outcome measure is linked to this recommendation." in shown
    # The chair's decision form is one click away, on this recommendation.
    [link] = decision_links(at)
    assert link.proto.label == "Record the Board's decision on RAPE1-R6"
    assert link.proto.query_string == "rec=RAPE1-R6"
    assert link.proto.page.endswith("decisions")


def test_next_previous_and_the_jump_list_move_between_screens(demo_dashboard_db: Path) -> None:
    at = present()
    assert at.button(key="present_previous").disabled
    seen = [heading(at).split(":")[0]]
    for _ in range(len(JANUARY_AGENDA) - 1):
        at.button(key="present_next").click().run()
        seen.append(heading(at).split(":")[0])
        assert at.query_params["rec"] == seen[-1]  # the screen is in the URL
    assert seen == [rec for rec, _ in JANUARY_AGENDA]
    assert where(at) == "6 of 6" and at.button(key="present_next").disabled
    assert "<h2>Evidence for closure</h2>" not in screen(at)  # not proposed for closure
    assert not decision_links(at)
    at.button(key="present_previous").click().run()
    assert heading(at).startswith("RAPE1-R4:")
    jump = at.selectbox(key="present_jump")
    assert jump.value == "RAPE1-R4"
    assert jump.options[:3] == [
        "1. RAPE1-R6 · for decision",
        "2. RAPE1-R11 · newly overdue",
        "3. RAPE2-R6 · newly overdue",
    ]
    jump.set_value("RAPE1-R11").run()
    assert (where(at), heading(at).split(":")[0]) == ("2 of 6", "RAPE1-R11")
    assert at.selectbox(key="present_jump").value == "RAPE1-R11"


def test_a_long_agenda_is_jumped_through_by_number(
    demo_dashboard_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presenting, "JUMP_LIST_LIMIT", 3)  # six screens: too many to list
    at = present()
    assert not [s for s in at.selectbox if s.key == "present_jump"]
    box = at.number_input(key="present_jump_number")
    assert (box.label, box.value) == ("Go to (1 to 6)", 1)
    box.set_value(5).run()
    assert (where(at), heading(at).split(":")[0]) == ("5 of 6", "RAPE1-R4")
    at.button(key="present_next").click().run()
    assert at.number_input(key="present_jump_number").value == 6


def test_a_shared_link_opens_its_screen(demo_dashboard_db: Path) -> None:
    at = present(rec="RAPE1-R12")
    assert (where(at), heading(at).split(":")[0]) == ("6 of 6", "RAPE1-R12")
    off_the_agenda = present(rec="RAPE1-R1")  # complete long ago: the agenda's start
    assert where(off_the_agenda) == "1 of 6"


def test_a_member_presents_and_is_told_who_records_the_decision(demo_dashboard_db: Path) -> None:
    at = present("demo-member")
    assert heading(at).startswith("RAPE1-R6:")
    assert not decision_links(at)
    assert "The chair records the Board's decision on the Closure decisions page." in [
        t.value for t in at.text
    ]


def test_presenting_writes_nothing(demo_dashboard_db: Path) -> None:
    before = demo_counts(demo_dashboard_db)
    at = present("demo-member")
    for _ in range(len(JANUARY_AGENDA) - 1):
        at.button(key="present_next").click().run()
    at.selectbox(key="present_jump").set_value("RAPE1-R6").run()
    assert not at.exception
    assert demo_counts(demo_dashboard_db) == before


# --- The outcome measures a recommendation is linked to (issue 18) ---------------------------


def test_a_screen_shows_the_outcome_measures_its_recommendation_should_move(
    demo_dashboard_db: Path,
) -> None:
    # The demo links RAPE1-R4 to three illustrative series (issue 18); the screen gives each
    # as at the meeting, 13 Jan 2027: the latest figure, its change, better or worse.
    shown = screen(present(rec="RAPE1-R4"))
    assert "<h2>Outcome measures</h2>" in shown
    measures, _ = read_html_table(shown.split("<h2>Outcome measures</h2>", 1)[1])
    assert list(measures.columns) == [
        "measure", "latest", "change over four periods", "direction", "comparator",
    ]  # fmt: skip
    by_name = measures.set_index("measure")
    assert sorted(by_name.index) == [
        "Charge rate (Adult rape)",
        "Files meeting the national file standard",
        "Median days from report to charge (Adult rape)",
    ]
    charge = by_name.loc["Charge rate (Adult rape)"]
    assert charge["latest"] == "10% (illustrative), Jul - Sep 2026"
    assert charge["direction"] == "Better"
    assert "England and Wales" in charge["comparator"]
    # A recommendation linked to nothing says so.
    assert "No outcome measure is linked to this recommendation." in screen(
        present(rec="RAPE1-R11")
    )


# --- The chair's decision, from presenting mode's link -------------------------------------


def test_the_decisions_page_opens_on_the_recommendation_a_link_names(dashboard_db: Path) -> None:
    con = store.connect(dashboard_db)
    assert ingest.import_file(con, "updates", "p.csv", PROPOSALS, imported_by="t").status == (
        "committed"
    )
    con.close()
    for query, chosen in (({}, "RAPE1-R2"), ({"rec": "RAPE1-R3"}, "RAPE1-R3")):
        at = sign_in(AppTest.from_file(DASHBOARD, default_timeout=60), "chair")
        at.query_params.update(query)
        at.switch_page(DECISIONS).run()
        assert not at.exception
        assert at.selectbox(key="decide_rec").value == chosen
