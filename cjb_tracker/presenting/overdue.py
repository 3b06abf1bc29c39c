"""The Overdue page: its groupings."""

from __future__ import annotations

import pandas as pd

# The groupings the Overdue page offers, as overdue_groups.sql names them in $by.
GROUPINGS: dict[str, str] = {"Lead": "lead", "Body": "body", "Addressee": "addressee"}


def overdue_groups_table(groups: pd.DataFrame, by: str) -> pd.DataFrame:
    """overdue_groups.sql with its group column named for the grouping: lead, body or
    addressee."""
    return groups.rename(columns={"group": by.lower()})
