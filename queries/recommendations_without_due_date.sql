-- Open recommendations with no due date as at $as_at: a data-quality gap, not "on time";
-- with the narrative of their latest update.
-- $limit rows (all when null) from row $offset + 1, each with total_rows: how many in all.
-- (How many in all: a count of the materialized rows, not count(*) over (), whose one
-- window gathers every row before the top-n: a fifth slower at national scale.)
with undated as materialized (
    select s.rec_id, s.title, s.lead, s.body, s.status, s.rag, s.report_code, s.number
    from status_as_at($as_at) as s
    where s.is_open
        and s.due is null
        and matches_filters(s.rec_id, s.report_code, s.body, s.lead,
            $report, $body, $lead, $addressee)
),
shown as (
    select *, (select count(*) from undated) as total_rows
    from undated
    order by report_code, number
    limit $limit
    offset $offset
),
-- The latest update's narrative, for the rows shown only (the update looked up by its id
-- among a hundred: joined, DuckDB would hash every update).
latest as materialized (
    select p.rec_id, p.update_id
    from positions as p
    semi join shown as s
        using (rec_id)
    where p.held_on <= $as_at
        and $as_at < p.until
),
narrated as (
    select l.rec_id, u.narrative
    from latest as l
    join (
        select update_id, narrative
        from updates
        where update_id in (select update_id from latest)
    ) as u
        using (update_id)
)
select
    s.rec_id,
    s.title,
    s.lead,
    s.body,
    s.status,
    s.rag,
    n.narrative as latest_update,
    s.total_rows
from shown as s
left join narrated as n
    using (rec_id)
order by s.report_code, s.number;
