"""Outcome measures with the tracker in PostgreSQL (several replicas, cjb_tracker.replica,
issue 18): the measures, figures and links one replica writes are what another sees, a link
taken away on the second is gone on the first, and an undone file is undone everywhere.
PostgreSQL 15 is run by the test (deploy/pgserver.py) on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cjb_tracker import ingest, measures, replica, seed, store
from deploy import pgserver

EXAMPLES = Path(__file__).parents[1] / "data" / "examples"
LATER = dt.date(2030, 1, 1)


@pytest.fixture
def postgres() -> Iterator[str]:
    # (As root, the server runs as the postgres user: its folder must be reachable by it,
    # and pytest's own temporary folders are not.)
    with tempfile.TemporaryDirectory(prefix="cjb-pg-") as temp:
        Path(temp).chmod(0o755)
        folder = Path(temp) / "pg"
        server = pgserver.start(folder)
        try:
            yield server.dsn
        finally:
            pgserver.stop(folder)


def test_a_second_replica_sees_the_measures_figures_and_links_the_first_wrote(
    postgres: str,
) -> None:
    first = replica.Replica.create(postgres)
    second = None
    try:
        seed.load_seed(first.local)
        for kind, name in (("measures", "measures.csv"), ("links", "links.csv")):
            result = ingest.import_path(first.local, kind, EXAMPLES / name, imported_by="chair")
            assert result.status == "committed", result.errors
        second = replica.Replica.open(postgres)
        seen = measures.linked_to(second.local, "RAPE1-R4", LATER)
        assert list(seen["label"]) == [
            "Charge rate (Adult rape)",
            "Median days from report to charge",
        ]
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
    finally:
        first.close()
        if second is not None:
            second.close()
