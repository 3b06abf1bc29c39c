-- Every open recommendation past its current due date as at $as_at, most overdue first,
-- with its slippage against the original due date too, and the narrative of its latest
-- update by then. $limit rows (all when null) from
-- row $offset + 1, each with total_rows: how many there are in all.
-- (How many in all: a count of the materialized rows, not count(*) over (), whose one
-- window gathers every row before the top-n: a fifth slower at national scale.)
with overdue as materialized (
    select
        s.rec_id,
        s.title,
        s.days_overdue,
        s.due,
        date_diff('day', s.original_due, s.as_at) as days_past_original,
        s.original_due,
        s.revisions,
        s.status,
        s.rag,
        s.lead,
        s.body,
        s.report_code,
        s.number
    from status_as_at($as_at) as s
    where s.overdue
        and matches_filters(s.rec_id, s.report_code, s.body, s.lead,
            $report, $body, $lead, $addressee)
),
shown as (
    select *
    from overdue
    order by days_overdue desc, report_code, number
    limit $limit
    offset $offset
),
-- The addressees of the rows shown only.
addressed as (
    select rec_id, string_agg(addressee, '; ' order by position) as addressees
    from recommendation_addressees
    semi join shown
        using (rec_id)
    group by rec_id
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
-- (The narrative next to the title: the first thing read after what the recommendation is.)
select s.rec_id, s.title, l.narrative as latest_update,
    s.* exclude (rec_id, title, report_code, number), a.addressees,
    (select count(*) from overdue) as total_rows
from shown as s
left join addressed as a
    using (rec_id)
left join narrated as l
    using (rec_id)
order by s.days_overdue desc, s.report_code, s.number;
