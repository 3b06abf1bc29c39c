-- What changed between the previous meeting of the same body and meeting $meeting_id, for
-- the recommendations that body follows (those it owns, and those reported to it):
-- status and RAG changes, newly overdue, closures proposed, due-date changes and new
-- recommendations (from a report published since the previous meeting).
with this_meeting as (
    select meeting_id, body, held_on
    from meetings
    where meeting_id = $meeting_id
),
previous as (
    select coalesce(max(m.held_on), any_value(cast(t.held_on - interval 1 day as date)))
        as held_on,
        max(m.held_on) is not null as exists
    from this_meeting as t
    left join meetings as m
        on m.body = t.body
        and m.held_on < t.held_on
),
followed as (
    select rec_id
    from recommendations_followed_at($meeting_id)
),
chosen as (
    select r.rec_id, r.report_code
    from recommendations as r
    semi join followed
        using (rec_id)
    where matches_filters(r.rec_id, r.report_code, r.body, r.lead,
        $report, $body, $lead, $addressee)
),
now_position as (
    select *
    from status_as_at((select held_on from this_meeting))
),
before_position as (
    select *
    from status_as_at((select held_on from previous))
),
compared as (
    select
        n.rec_id, n.title, n.lead, n.report_code, n.number,
        b.status as status_before, n.status as status_now,
        b.rag as rag_before, n.rag as rag_now, n.is_open,
        b.overdue as overdue_before, n.overdue as overdue_now, n.days_overdue,
        b.due as due_before, n.due as due_now
    from now_position as n
    join before_position as b
        using (rec_id)
    semi join chosen
        using (rec_id)
),
-- Each change, narrow: the text that explains it is joined for the rows shown only.
changes as (
    select 1 as change_order, 'Status changed' as change, rec_id, report_code, number,
        status_before as before, status_now as after
    from compared
    where status_before <> status_now
    union all
    select 2, 'RAG changed', rec_id, report_code, number, coalesce(rag_before, 'none'),
        coalesce(rag_now, 'none')
    from compared
    where is_open
        and rag_before is distinct from rag_now
    union all
    select 3, 'Newly overdue', rec_id, report_code, number, 'due ' || uk_date(due_now),
        days_overdue || ' days overdue'
    from compared
    where overdue_now
        and not overdue_before
    union all
    select 4, 'Closure proposed for decision', rec_id, report_code, number, status_before,
        status_now
    from compared
    where status_now = 'Closure proposed'
    union all
    select 5, 'Due date changed', rec_id, report_code, number, coalesce(uk_date(due_before), 'none'),
        coalesce(uk_date(due_now), 'none')
    from compared
    where due_before is distinct from due_now
    union all
    select 6, 'New recommendation', c.rec_id, c.report_code, c.number, null, c.status_now
    from compared as c
    join reports as p
        using (report_code)
    where p.published_on > (select held_on from previous)
        and p.published_on <= (select held_on from this_meeting)
),
kind_totals as (
    select change_order, count(*) as kind_total
    from changes
    group by change_order
),
-- $limit changes of each kind (all when null), from the change after $offsets[kind] (the
-- kinds numbered as change_order): each kind's page picked by its own top-n, where ranking
-- every change of every kind sorted them all.
shown as (
    (select * from changes where change_order = 1 order by report_code, number
        limit coalesce($limit, 1e18)::bigint offset coalesce(cast($offsets as integer[])[1], 0))
    union all
    (select * from changes where change_order = 2 order by report_code, number
        limit coalesce($limit, 1e18)::bigint offset coalesce(cast($offsets as integer[])[2], 0))
    union all
    (select * from changes where change_order = 3 order by report_code, number
        limit coalesce($limit, 1e18)::bigint offset coalesce(cast($offsets as integer[])[3], 0))
    union all
    (select * from changes where change_order = 4 order by report_code, number
        limit coalesce($limit, 1e18)::bigint offset coalesce(cast($offsets as integer[])[4], 0))
    union all
    (select * from changes where change_order = 5 order by report_code, number
        limit coalesce($limit, 1e18)::bigint offset coalesce(cast($offsets as integer[])[5], 0))
    union all
    (select * from changes where change_order = 6 order by report_code, number
        limit coalesce($limit, 1e18)::bigint offset coalesce(cast($offsets as integer[])[6], 0))
)
select
    r.change,
    r.rec_id,
    c.title,
    c.lead,
    r.before,
    r.after,
    case r.change_order
        when 4 then coalesce(u.evidence, u.narrative)
        when 5 then u.revision_reason
        when 6 then null
        else u.narrative
    end as detail,
    k.kind_total
from shown as r
join kind_totals as k
    using (change_order)
join compared as c
    using (rec_id)
-- The text is the update's that set the position now, if it was made on this meeting's day
-- (positions in schema.sql: the latest of the day).
left join positions as p
    on p.rec_id = r.rec_id
    and p.held_on = (select held_on from this_meeting)
left join updates as u
    on u.update_id = p.update_id
order by r.change_order, r.report_code, r.number;
