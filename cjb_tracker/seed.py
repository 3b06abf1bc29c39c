"""Build a new database: the schema, the seed from the source letter, and the demo data."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from cjb_tracker import auth, batches, decisions, lead_addresses, store
from cjb_tracker.errors import TrackerError
from cjb_tracker.ingest import ImportResult, import_path

SEED = store.ROOT / "data" / "seed"
DEMO = store.ROOT / "data" / "demo"
SOURCE_LETTER = "Source letter (PCC, 13 Sep 2021)"
DEMO_AUTHOR = "Demo data (illustrative)"
# Demo accounts, one per role: listed in the README and on the sign-in page as demo-only.
# A real installation has no accounts until the chair adds them (cjb-tracker user add).
DEMO_PASSWORDS = {
    "chair": "demo-chair-password",
    "lead": "demo-lead-password",
    "member": "demo-member-password",
}
# The demo lead owes an update for the next Board meeting (13 Jan 2027): the whole cycle of
# digest, template and upload can be tried with demo-lead (issue 20).
DEMO_LEAD = "Det Supt, Public Protection (Police)"
# Demo addresses are in a reserved domain (RFC 2606): no message to one can reach anybody.
DEMO_MAIL_DOMAIN = "cjb-demo.example"
SEEDED_AT_THE_SAME_MOMENT = "Another change was written while the seed was loaded. Try again."


def init_database(con: duckdb.DuckDBPyConnection, demo: bool = False) -> list[ImportResult]:
    """Create the schema and load the seed; with demo, add the illustrative story."""
    store.create_schema(con)
    results = load_seed(con)
    if demo:
        results += load_demo(con)
    return results


def load_seed(con: duckdb.DuckDBPyConnection) -> list[ImportResult]:
    """Only what the source letter says: bodies, the report, its 13 recommendations."""
    with batches.writing(con, conflict=SEEDED_AT_THE_SAME_MOMENT), store.transaction(con) as cur:
        batch_id = batches.add(cur, batches.Record("seed", "data/seed", SOURCE_LETTER, "committed"))
        cur.execute(store.load_query("seed_bodies"), {"path": str(SEED / "bodies.csv")})
        cur.execute(
            store.load_query("seed_reports"),
            {"path": str(SEED / "reports.csv"), "batch_id": batch_id},
        )
    return [_must_commit(con, "recommendations", SEED / "recommendations.csv", SOURCE_LETTER)]


def load_demo(con: duckdb.DuckDBPyConnection) -> list[ImportResult]:
    """Illustrative meetings, leads, due dates, a second report and updates; then outcome
    measures (made-up series for what the letter's responses name, one file in the CJS
    Delivery Data Dashboard's published shape) and the recommendations linked to them."""
    files = [("meetings", DEMO / "meetings.csv"), ("recommendations", DEMO / "recommendations.csv")]
    files += [("updates", path) for path in sorted((DEMO / "updates").glob("*.csv"))]
    results = [
        _must_commit(con, kind, path, DEMO_AUTHOR, illustrative=True) for kind, path in files
    ]
    _demo_decisions(con)
    outcomes = [("measures", path) for path in sorted((DEMO / "measures").glob("*.csv"))]
    outcomes += [("links", DEMO / "measure_links.csv")]
    results += [
        _must_commit(con, kind, path, DEMO_AUTHOR, illustrative=True) for kind, path in outcomes
    ]
    _demo_accounts(con)
    _demo_lead_addresses(con)
    return results


def _demo_decisions(con: duckdb.DuckDBPyConnection) -> None:
    """The Board's decisions on the closures the demo leads proposed."""
    with (DEMO / "decisions.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            decision = decisions.Decision(
                row["recommendation_id"],
                row["meeting"],
                accepted=row["decision"] == "accepted",
                minute=row["minute"],
                reason=row["reason"],
            )
            decisions.decide(con, DEMO_AUTHOR, decision, illustrative=True)


def _demo_accounts(con: duckdb.DuckDBPyConnection) -> None:
    setter = auth.operator(DEMO_AUTHOR)
    names = {"chair": "Demo Chair", "lead": f"Demo Lead ({DEMO_LEAD})", "member": "Demo Member"}
    for role, password in DEMO_PASSWORDS.items():
        auth.add_user(
            con,
            setter,
            f"demo-{role}",
            names[role],
            role,
            password=password,
            email=f"demo-{role}@{DEMO_MAIL_DOMAIN}",
            lead_names=(DEMO_LEAD,) if role == "lead" else (),
            illustrative=True,
        )


def _demo_lead_addresses(con: duckdb.DuckDBPyConnection) -> None:
    """Addresses for the other demo leads but one (Head of Victim and Witness Hub), so a
    reminder run shows a lead who could not be reminded."""
    path = DEMO / "lead_addresses.csv"
    result = lead_addresses.import_addresses(con, DEMO_AUTHOR, path.name, path.read_bytes())
    if result.status != "committed":
        first = "; ".join(f"row {p.row} {p.column}: {p.message}" for p in result.errors[:5])
        raise TrackerError(f"The shipped file {path.name} did not load: {first}")


def _must_commit(
    con: duckdb.DuckDBPyConnection, kind: str, path: Path, by: str, illustrative: bool = False
) -> ImportResult:
    result = import_path(con, kind, path, imported_by=by, illustrative=illustrative)
    if result.status != "committed":
        first = "; ".join(f"row {p.row} {p.column}: {p.message}" for p in result.errors[:5])
        raise TrackerError(f"The shipped file {path.name} did not load ({result.status}): {first}")
    return result
