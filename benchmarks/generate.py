"""Deterministic national-scale files for the benchmarks, written by DuckDB's COPY.

50,000 recommendations across 100 reports, 20 Board meetings, and one update per
recommendation per meeting (1,000,000 rows), in the upload formats of the README.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

OUT = Path(__file__).parent / "out"


@dataclass(frozen=True)
class Scale:
    recommendations: int = 50_000
    meetings: int = 20
    per_report: int = 500

    @property
    def updates(self) -> int:
        return self.recommendations * self.meetings

    def folder(self) -> Path:
        return OUT / f"r{self.recommendations}-m{self.meetings}"


def generate(scale: Scale) -> Path:
    """Write meetings.csv, recommendations.csv and updates.csv unless already there."""
    folder = scale.folder()
    if (folder / "updates.csv").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    params = {"n": scale.recommendations, "m": scale.meetings, "per": scale.per_report}
    for name, sql in _FILES.items():
        target = str(folder / f"{name}.csv").replace("'", "''")
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        con.execute(f"copy ({sql}) to '{target}' (header, delimiter ',')", used)
    con.close()
    return folder


_MEETING_DATE = "date '2020-01-15' + to_days(cast(m.i * 91 as integer))"

_FILES = {
    "meetings": f"""
        select 'CJB' as body, strftime({_MEETING_DATE}, '%d/%m/%Y') as date,
            'Board meeting ' || (m.i + 1) as title
        from range($m) as m(i)""",
    "recommendations": """
        select 'NAT' || (r.i // $per) as report_code,
            'National report ' || (r.i // $per) || ' (benchmark data)' as report_title,
            r.i % $per + 1 as number,
            'Recommendation ' || r.i as title,
            'Forces and their partners should review how they handle case ' || r.i
                || ' and report progress to the Board; ' || repeat('the review covers ', 8)
                as text,
            case r.i % 3
                when 0 then 'Police forces (local)'
                when 1 then 'Police forces (local); CPS Areas (local)'
                else 'Police forces (local); Home Office (national)'
            end as addressees,
            '' as timescale,
            strftime(date '2021-06-30' + to_days(cast(r.i % 1500 as integer)), '%d/%m/%Y')
                as due_date,
            'Lead ' || (r.i % 200) as lead,
            'CJB' as body
        from range($n) as r(i)""",
    "updates": f"""
        select 'NAT' || (r.i // $per) || '-R' || (r.i % $per + 1) as recommendation_id,
            strftime({_MEETING_DATE}, '%d/%m/%Y') as meeting_date,
            'CJB' as body,
            case when m.i = $m - 1 and r.i % 4 = 0 then 'Complete'
                when (r.i + m.i) % 5 = 0 then 'Awaiting national action'
                else 'In progress' end as status,
            case when m.i = $m - 1 and r.i % 4 = 0 then ''
                else ['Red', 'Amber', 'Green'][1 + (r.i + m.i) % 3] end as rag,
            'Progress at meeting ' || (m.i + 1) || ': ' || repeat('work continues; ', 8)
                as "update",
            'Report back next time' as next_steps,
            case when (r.i + m.i) % 10 = 0
                then strftime({_MEETING_DATE} + to_days(180), '%d/%m/%Y') else '' end
                as revised_due_date,
            case when (r.i + m.i) % 10 = 0 then 'Waiting on a national framework' else '' end
                as revision_reason,
            '' as evidence,
            'Lead ' || (r.i % 200) as reported_by
        from range($m) as m(i), range($n) as r(i)
        order by m.i, r.i""",
}
