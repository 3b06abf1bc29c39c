"""Outcome measures (issue 18): did the work move what it was meant to move?

A measure is defined once (name, unit, which way is better, what it counts and where from);
its figures are given per area (the Board's own, and comparators: national, the most similar
group, another area), per period (start and end date, cjb_tracker.periods) and optionally per
breakdown (an offence type, say). A measure and a breakdown make a series. The chair links a
recommendation to the series it is meant to move, with the way it should move (rise or
fall). Measures and links come in as files (kinds 'measures' and 'links', checked and written
by cjb_tracker.ingest like every upload), and the chair links or unlinks one on a
recommendation's page (`link`, `unlink` here): each is a batch, so it has its history and can
be undone.

For other pages (the Overview grid, the presenting view): `linked_to(con, rec_id)` returns
the measures a recommendation is linked to, one row per series, with its latest figures and
the sentence saying what moved since the recommendation's milestone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from cjb_tracker import audit, auth, batches, periods, presenting, store
from cjb_tracker.auth import User
from cjb_tracker.errors import NotFound, TrackerError

# What publishers write where no figure is published (suppressed, not available, not
# applicable): such a row is skipped with a warning, not refused. Compared in lower case.
NO_FIGURE_MARKS: tuple[str, ...] = (
    "..", "...", ":", "*", "-", "\u2013", "~", "x", "c", "z", "u", "w",
    "[c]", "[x]", "[z]", "[u]", "[w]", "[low]", "n/a", "na",
)  # fmt: skip

# The words a file may use (compared as vocab.spelling_key: lower case, no spaces), by
# column, and the word each is stored as.
SPELLINGS: dict[str, dict[str, str]] = {
    "unit": {
        "%": "%", "percent": "%", "percentage": "%", "pct": "%", "per cent": "%",
        "days": "days", "day": "days", "count": "count", "number": "count", "n": "count",
        "rate": "rate",
    },
    "better": {
        "higher": "higher", "higher is better": "higher", "high": "higher", "up": "higher",
        "increase": "higher", "lower": "lower", "lower is better": "lower", "low": "lower",
        "down": "lower", "decrease": "lower",
    },
    "area_type": {
        "own": "own", "board": "own", "local": "own", "our area": "own", "this area": "own",
        "national": "national", "england and wales": "national", "national average": "national",
        "similar": "similar", "most similar group": "similar", "msg": "similar",
        "most similar forces": "similar", "peer group": "similar",
        "other": "other", "peer": "other", "comparator": "other",
    },
    "expected": {
        "rise": "rise", "up": "rise", "increase": "rise", "higher": "rise", "go up": "rise",
        "fall": "fall", "down": "fall", "decrease": "fall", "lower": "fall", "go down": "fall",
        "reduce": "fall",
    },
}  # fmt: skip

LINKED_AT_THE_SAME_MOMENT = (
    "Another change was being saved at the same moment, so the link was not changed. Try again."
)


def _key(word: str) -> str:
    return "".join(word.split()).lower()


def register_lookups(cur: duckdb.DuckDBPyConnection, kind: str) -> None:
    """The temp tables a measures or links file's checks read: the words of SPELLINGS and,
    for measures, how each distinct period reads (queries/check_measures.sql)."""
    triples = [(k, _key(s), w) for k, words in SPELLINGS.items() for s, w in words.items()]
    store.run_script(
        cur,
        "stage_measure_spellings",
        kinds=[k for k, _, _ in triples],
        keys=[s for _, s, _ in triples],
        words=[w for _, _, w in triples],
    )
    if kind == "measures":
        register_periods(cur)


def register_periods(cur: duckdb.DuckDBPyConnection) -> None:
    """Read each distinct (period, granularity) of the staged file once, in Python, into the
    temp table period_lookup."""
    pairs = cur.execute(
        "select distinct period, granularity from stage where not is_blank"
        " and coalesce(trim(period), '') <> ''"
    ).fetchall()
    columns: dict[str, list[object]] = {
        name: []
        for name in (
            "raw_periods", "raw_granularities", "labels", "kinds", "starts", "ends",
            "problems", "problem_columns",
        )
    }  # fmt: skip
    for raw_period, raw_granularity in pairs:
        read = _read_period(raw_period, raw_granularity)
        for name, value in zip(columns, (raw_period, raw_granularity, *read), strict=True):
            columns[name].append(value)
    store.run_script(cur, "stage_period_lookup", **columns)


def _read_period(
    raw_period: str, raw_granularity: str | None
) -> tuple[str | None, str | None, dt.date | None, dt.date | None, str | None, str | None]:
    """(label, kind, start, end, problem, the column the problem is in)."""
    try:
        periods.granularity_kind(raw_granularity)
    except periods.PeriodError as error:
        return None, None, None, None, str(error), "granularity"
    try:
        found = periods.parse_period(raw_period, raw_granularity)
    except periods.PeriodError as error:
        return None, None, None, None, str(error), "period"
    return periods.label(found), found.kind, found.start, found.end, None, None


# --- Links written on a recommendation's page ------------------------------------------


@dataclass(frozen=True)
class Link:
    """A recommendation and the series (measure and breakdown) it is meant to move."""

    rec_id: str
    measure_id: str
    breakdown: str = ""
    expected: str | None = None  # rise | fall; None: the way the measure calls better
    note: str | None = None


def link(
    con: duckdb.DuckDBPyConnection,
    actor: User | str,
    wanted: Link,
    *,
    illustrative: bool = False,
) -> int:
    """Link a recommendation to a series it should move (or change the way it should move);
    a batch of its own, kind 'links'. Returns the batch id. Only the chair may."""
    chair = _chair(con, actor, wanted.rec_id)
    with batches.writing(con, conflict=LINKED_AT_THE_SAME_MOMENT), store.transaction(con) as cur:
        measure = _measure(cur, wanted.rec_id, wanted.measure_id)
        expected = wanted.expected or ("rise" if measure["better"] == "higher" else "fall")
        if expected not in ("rise", "fall"):
            raise TrackerError(f"'{expected}' is not a direction: choose rise or fall.")
        label = presenting.series_label(measure["name"], wanted.breakdown)
        held = _held_link(cur, wanted)
        if held is not None and held == expected:
            raise TrackerError(
                f"{wanted.rec_id} is already linked to {label}, expected to {expected}."
            )
        batch_id = _write_link(
            cur, chair, wanted, expected, True, f"Link {wanted.rec_id} to {label}", illustrative
        )
        audit.record(
            cur, chair.username, "measure-link", wanted.rec_id, "linked",
            f"batch {batch_id}: {label}, expected to {expected}",
        )  # fmt: skip
    return batch_id


def unlink(con: duckdb.DuckDBPyConnection, actor: User | str, wanted: Link) -> int:
    """Take a link away (a record saying so; undoing its batch brings the link back)."""
    chair = _chair(con, actor, wanted.rec_id)
    with batches.writing(con, conflict=LINKED_AT_THE_SAME_MOMENT), store.transaction(con) as cur:
        measure = _measure(cur, wanted.rec_id, wanted.measure_id)
        label = presenting.series_label(measure["name"], wanted.breakdown)
        if _held_link(cur, wanted) is None:
            raise NotFound(f"{wanted.rec_id} is not linked to {label}.")
        batch_id = _write_link(
            cur, chair, wanted, None, False, f"Unlink {wanted.rec_id} from {label}", False
        )
        audit.record(
            cur, chair.username, "measure-link", wanted.rec_id, "unlinked",
            f"batch {batch_id}: {label}",
        )  # fmt: skip
    return batch_id


def _chair(con: duckdb.DuckDBPyConnection, actor: User | str, rec_id: str) -> User:
    chair = auth.acting(actor)
    try:
        auth.require(chair, "link-measures")
    except TrackerError as refused:
        audit.record_alone(con, chair.username, "measure-link", rec_id, "refused", str(refused))
        raise
    return chair


def _measure(cur: duckdb.DuckDBPyConnection, rec_id: str, measure_id: str) -> pd.Series:
    if not cur.execute(store.load_query("recommendation_exists"), {"rec_id": rec_id}).fetchall():
        raise NotFound(f"There is no recommendation {rec_id}.")
    found = cur.execute(store.load_query("measure_definition"), {"measure_id": measure_id}).df()
    if found.empty:
        raise NotFound(f"There is no measure '{measure_id}'. Upload a measures file first.")
    return found.iloc[0]


def _held_link(cur: duckdb.DuckDBPyConnection, wanted: Link) -> str | None:
    """The way the standing link expects the series to move, or None when not linked."""
    found = cur.execute(
        store.load_query("measure_link_held"),
        {"rec_id": wanted.rec_id, "measure_id": wanted.measure_id, "breakdown": wanted.breakdown},
    ).fetchall()
    return str(found[0][0]) if found else None


def _write_link(
    cur: duckdb.DuckDBPyConnection,
    chair: User,
    wanted: Link,
    expected: str | None,
    linked: bool,
    what: str,
    illustrative: bool,
) -> int:
    batch_id = batches.add(
        cur,
        batches.Record(
            "links", what, chair.username, "committed", rows=1, inserted=1,
            illustrative=illustrative,
        ),
    )  # fmt: skip
    store.run_script(
        cur,
        "insert_link_record",
        rec_id=wanted.rec_id,
        measure_id=wanted.measure_id,
        breakdown=wanted.breakdown,
        expected=expected,
        linked=linked,
        note=(wanted.note or "").strip() or None,
        batch_id=batch_id,
    )
    return batch_id


# --- What the pages and packs read -----------------------------------------------------


def comparisons(
    con: duckdb.DuckDBPyConnection,
    rec_id: str,
    as_at: dt.date,
    milestone: presenting.Milestone | None = None,
) -> pd.DataFrame:
    """For each series `rec_id` is linked to: the link (queries/measure_links_of_
    recommendation.sql), the milestone compared against (the one given, else
    presenting.default_milestone) and the sentence saying what moved since it."""
    links = store.run_query(con, "measure_links_of_recommendation", rec_id=rec_id)
    if milestone is None:
        milestone = presenting.default_milestone(
            store.run_query(con, "recommendation_milestones", rec_id=rec_id, as_at=as_at)
        )
    sentences = []
    for _, row in links.iterrows():
        compared = store.run_query(
            con,
            "measure_before_after",
            measure_id=row["measure_id"],
            breakdown=row["breakdown"],
            milestone=milestone.on if milestone else None,
            as_at=as_at,
        )
        sentences.append(presenting.change_sentence(rec_id, milestone, row, compared))
    return links.assign(sentence=sentences)


def linked_to(
    con: duckdb.DuckDBPyConnection, rec_id: str, as_at: dt.date | None = None
) -> pd.DataFrame:
    """The measures a recommendation is linked to, one row per series, as at a date (today
    in London unless given): measure_id, breakdown, label ('Charge rate (Adult rape)'),
    unit, better, expected, note, latest ('8% (illustrative)', the own area's latest figure
    and its period), comparator (the same for the comparator), direction (its change over
    the last four periods, better or worse by the measure's rule), illustrative, and
    sentence (what moved since the recommendation's milestone; never why)."""
    when = as_at or presenting.london_today()
    found = comparisons(con, rec_id, when)
    outcomes = store.run_query(
        con, "outcome_measures", **presenting.Filters().selection(), as_at=when, rec_ids=None
    )
    shaped = presenting.outcomes_table(outcomes)
    merged = found.merge(
        outcomes[["measure_id", "breakdown"]].join(shaped),
        on=["measure_id", "breakdown"],
        how="left",
    )
    return pd.DataFrame(
        {
            "measure_id": merged["measure_id"],
            "breakdown": merged["breakdown"],
            "label": [
                presenting.series_label(n, b)
                for n, b in zip(merged["name"], merged["breakdown"], strict=True)
            ],
            "unit": merged["unit"],
            "better": merged["better"],
            "expected": merged["expected"],
            "note": merged["note"],
            "latest": merged["latest"],
            "comparator": merged["comparator"],
            "direction": merged["direction"],
            "illustrative": merged["illustrative"].astype(bool),
            "sentence": merged["sentence"],
        }
    )
