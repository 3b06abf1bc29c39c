"""The Closure decisions page: the proposals waiting, and the two decisions the Board may
record."""

from __future__ import annotations

import pandas as pd


def proposals_table(proposed: pd.DataFrame) -> pd.DataFrame:
    """The closures waiting for a decision as the chair reads them: proposed_at (the exact
    time, which only picks the meetings that may decide) left out."""
    return proposed.loc[:, [c for c in proposed.columns if c != "proposed_at"]]


def proposal_of(proposed: pd.DataFrame, rec_id: str) -> pd.Series:
    """The row of proposed_closures.sql for one recommendation."""
    return proposed.loc[proposed["rec_id"] == rec_id].iloc[0]


def chosen_index(options: list[str], wanted: str | None) -> int:
    """Where a picker starts: at the option a link asked for, else at the first."""
    return options.index(wanted) if wanted in options else 0


def verdict_label(accepted: bool) -> str:
    """How the decision form offers the Board's two possible decisions."""
    if accepted:
        return "Accepted: the recommendation is complete"
    return "Not accepted: back to In progress"


def decision_message(rec_id: str, batch_id: int, accepted: bool) -> str:
    """What the chair is told once the Board's decision is recorded."""
    outcome = "accepted; it is Complete." if accepted else "not accepted; it is In progress."
    return f"Recorded as batch {batch_id}: the closure of {rec_id} was {outcome}"
