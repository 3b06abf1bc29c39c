"""Small helpers the tests share."""

from __future__ import annotations

import duckdb

TABLES = (
    "bodies",
    "report_records",
    "recommendation_records",
    "addressee_records",
    "meeting_records",
    "updates",
)


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every data table (not import_batches, which records rejections too)."""
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    """Every row that the views show, for exact before/after comparisons."""
    views = {
        "current_status": "select * exclude (as_at) from current_status order by rec_id",
        "recommendations": "select * from recommendations order by rec_id",
        "addressees": "select * from recommendation_addressees order by rec_id, position",
        "meetings": "select * from meetings order by meeting_id",
        "effective_updates": "select * from effective_updates order by update_id",
        "reports": "select * from reports order by report_code",
    }
    return {name: con.execute(sql).fetchall() for name, sql in views.items()}
