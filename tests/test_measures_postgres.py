"""Outcome measures with the tracker in PostgreSQL (several replicas, cjb_tracker.replica,
issue 18): the measures, figures and links one replica writes are in PostgreSQL and are what
another replica sees, a link taken away on the second is gone on the first, and an undone
link is back everywhere. PostgreSQL 15 runs on 127.0.0.1 for the test run
(conftest.postgres_server)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers import in_postgres

from cjb_tracker import ingest, measures, store
from cjb_tracker.replica import GROWS_BY, Replica

EXAMPLES = Path(__file__).parents[1] / "data" / "examples"
LATER = dt.date(2030, 1, 1)
MEASURE_TABLES = ("measure_records", "area_records", "measure_values", "measure_link_records")


def test_the_measure_tables_are_pushed_by_their_ids() -> None:
    # Append-only records whose ids are taken under the write lock: copied from the last id on.
    assert {t: GROWS_BY.get(t) for t in MEASURE_TABLES} == {
        "measure_records": "record_id",
        "area_records": "record_id",
        "measure_values": "value_id",
        "measure_link_records": "record_id",
    }


def test_a_second_replica_sees_the_measures_figures_and_links_the_first_wrote(
    two_replicas: tuple[Replica, Replica], postgres_tracker: str
) -> None:
    first, second = two_replicas
    for kind, name in (("measures", "measures.csv"), ("links", "links.csv")):
        result = ingest.import_path(first.local, kind, EXAMPLES / name, imported_by="chair")
        assert result.status == "committed", result.errors
    held = {t: first.local.execute(f"select count(*) from {t}").fetchall()[0][0]
            for t in MEASURE_TABLES}  # fmt: skip
    assert all(held.values()), held
    assert {
        t: in_postgres(postgres_tracker, f"select count(*) from {t}")[0][0] for t in MEASURE_TABLES
    } == held

    assert second.catch_up()
    seen = measures.linked_to(second.local, "RAPE1-R4", LATER)
    assert list(seen["label"]) == ["Charge rate (Adult rape)", "Median days from report to charge"]
    assert store.run_query(
        second.local, "measure_series", measure_id="charge rate", breakdown="Adult rape",
        as_at=LATER,
    )["value"].tolist() == [5.1, 5.5, 6.0, 7.4, 5.8, 6.0, 6.1, 6.3]  # fmt: skip

    # The chair takes a link away on the second; the first sees it gone.
    batch = measures.unlink(
        second.local, "chair", measures.Link("RAPE1-R4", "charge rate", "Adult rape")
    )
    assert first.catch_up()
    assert list(measures.linked_to(first.local, "RAPE1-R4", LATER)["label"]) == [
        "Median days from report to charge"
    ]
    # Undone on the first, the link is back on the second.
    ingest.undo_batch(first.local, batch, "chair")
    assert second.catch_up()
    assert len(measures.linked_to(second.local, "RAPE1-R4", LATER)) == 2
