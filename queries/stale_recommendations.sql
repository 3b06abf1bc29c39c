-- Open recommendations with no update at either of the last two meetings of their body
-- held on or before $as_at, with the narrative of their latest update. $limit rows (all when null) from row $offset + 1, each with
-- total_rows: how many there are in all.
-- (How many in all: a count of the materialized rows, not count(*) over (), whose one
-- window gathers every row before the top-n: a fifth slower at national scale.)
with ranked_meetings as (
    select meeting_id, body,
        row_number() over (partition by body order by held_on desc) as recency
    from meetings
    where held_on <= $as_at
),
recent_meetings as (
    select meeting_id, body
    from ranked_meetings
    where recency <= 2
),
-- (Any live update counts: a superseded one has its replacement at the same meeting.)
updated as (
    select distinct u.rec_id, m.body
    from updates as u
    semi join live_batches as b
        on b.batch_id = u.batch_id
    join recent_meetings as m
        using (meeting_id)
),
stale as materialized (
    select s.rec_id, s.title, s.lead, s.body, s.status, s.rag, s.last_update_on,
        s.report_code, s.number
    from status_as_at($as_at) as s
    semi join (select distinct body from recent_meetings) as held
        on held.body = s.body
    anti join updated as u
        on u.rec_id = s.rec_id
        and u.body = s.body
    where s.is_open
        and matches_filters(s.rec_id, s.report_code, s.body, s.lead,
            $report, $body, $lead, $addressee)
),
shown as (
    select *, (select count(*) from stale) as total_rows
    from stale
    order by last_update_on nulls first, report_code, number
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
    s.last_update_on,
    n.narrative as latest_update,
    s.total_rows
from shown as s
left join narrated as n
    using (rec_id)
order by s.last_update_on nulls first, s.report_code, s.number;
