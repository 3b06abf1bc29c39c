-- The recommendations the filters select that have not changed status over the last four
-- meetings of the Board (or of the body filtered on) held on or before $as_at: open at the
-- latest of them, in existence at the first (published or reported on by then), and in one
-- status from the first to the latest. $limit of them (all when null), in report and
-- number order, each with `since`: the date it was first reported in that status (null:
-- never reported on). Every row carries how many stalled in all, how many of the selection
-- were open at the latest meeting, and the span: first_on, latest_on and meetings (fewer
-- than four when fewer were held; then none is named). No meeting held: no row.
with last_meetings as (
    select held_on
    from meetings
    where body = coalesce($body, 'CJB')
        and held_on <= $as_at
    order by held_on desc
    limit 4
),
span as (
    select min(held_on) as first_on, max(held_on) as latest_on, count(*) as meetings
    from last_meetings
    having count(*) > 0
),
chosen as (
    select r.rec_id, r.report_code, r.number, p.published_on
    from recommendations as r
    left join reports as p
        on p.report_code = r.report_code
    where matches_filters(r.rec_id, r.report_code, r.body, r.lead,
        $report, $body, $lead, $addressee)
),
-- The positions in force at some point from the first meeting to the latest, summed up per
-- recommendation: whether they held one status (the least equals the greatest: cheaper
-- than counting distinct ones), the latest, and when it was first reported on.
spanning as (
    select p.rec_id,
        min(p.status) = max(p.status) as one_status,
        arg_max(p.status, p.held_on) as status,
        min(p.held_on) as first_reported_on
    from positions as p
    semi join chosen as c
        using (rec_id)
    where p.held_on <= (select latest_on from span)
        and p.until > (select first_on from span)
    group by p.rec_id
),
-- (Before its first report a recommendation is Not started: one first reported after the
-- first meeting changed status unless it was first reported Not started.)
judged as (
    select c.rec_id, c.report_code, c.number,
        coalesce(s.status, 'Not started') as status,
        t.meetings = 4
            and (c.published_on is null or c.published_on <= t.first_on
                or s.first_reported_on <= t.first_on)
            and coalesce(s.one_status, true)
            and (s.first_reported_on is null or s.first_reported_on <= t.first_on
                or s.status = 'Not started') as unchanged
    from chosen as c
    cross join span as t
    left join spanning as s
        using (rec_id)
    where c.published_on is null
        or c.published_on <= t.latest_on
        or s.first_reported_on is not null
),
open_at_latest as materialized (
    select j.*
    from judged as j
    semi join statuses as v
        on v.status = j.status
        and v.is_open
),
named as (
    select *
    from open_at_latest
    where unchanged
    order by report_code, number
    limit $limit
),
-- Since when each named one has held its status: its first report after the last one in
-- another status, by the latest meeting.
runs as (
    select p.rec_id, p.held_on,
        max(p.held_on) filter (where p.status <> n.status) over (partition by p.rec_id)
            as other_until
    from named as n
    join positions as p
        using (rec_id)
    where p.held_on <= (select latest_on from span)
),
since as (
    select rec_id, min(held_on) as since
    from runs
    where other_until is null
        or held_on > other_until
    group by rec_id
)
select
    n.rec_id,
    r.title,
    n.status,
    s.since,
    (select count(*) filter (where unchanged) from open_at_latest) as stalled_total,
    (select count(*) from open_at_latest) as open_total,
    t.first_on,
    t.latest_on,
    t.meetings
from span as t
left join named as n
    on true
left join since as s
    using (rec_id)
left join recommendations as r
    using (rec_id)
order by n.report_code, n.number;
