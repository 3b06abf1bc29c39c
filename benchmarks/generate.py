"""Deterministic national-scale files for the benchmarks, written by DuckDB's COPY.

50,000 recommendations across 100 reports, owned by 10 bodies (the Board and nine
force-area groups) and addressed to 43 police forces, CPS Areas and the Home Office; 20
Board meetings; one update per recommendation per meeting (1,000,000 rows), in the upload
formats of the README. Bodies have no upload format: insert_bodies adds them.
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
    bodies: int = 10

    @property
    def updates(self) -> int:
        return self.recommendations * self.meetings

    def folder(self) -> Path:
        return OUT / f"r{self.recommendations}-m{self.meetings}-b{self.bodies}"

    def body_names(self) -> list[str]:
        """CJB, then FORCE1 ... FORCE{bodies - 1}."""
        return ["CJB"] + [f"FORCE{i}" for i in range(1, self.bodies)]


def insert_bodies(con: duckdb.DuckDBPyConnection, scale: Scale) -> None:
    """The bodies the generated recommendations belong to, unless already there."""
    for body in scale.body_names():
        con.execute(
            "insert into bodies select $body, $name where $body not in (select body from bodies)",
            {"body": body, "name": f"{body} (benchmark body)"},
        )


def generate(scale: Scale) -> Path:
    """Write meetings.csv, recommendations.csv and updates.csv unless already there."""
    folder = scale.folder()
    if (folder / "updates.csv").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    params = {
        "n": scale.recommendations,
        "m": scale.meetings,
        "per": scale.per_report,
        "b": scale.bodies,
    }
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
            'Police force ' || (r.i % 43) || ' (local)' || case r.i % 3
                when 0 then ''
                when 1 then '; CPS Areas (local)'
                else '; Home Office (national)'
            end as addressees,
            '' as timescale,
            strftime(date '2021-06-30' + to_days(cast(r.i % 1500 as integer)), '%d/%m/%Y')
                as due_date,
            'Lead ' || (r.i % 200) as lead,
            case when r.i % $b = 0 then 'CJB' else 'FORCE' || (r.i % $b) end as body
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
