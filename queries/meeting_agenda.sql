-- What presenting mode walks through at meeting $meeting_id, one recommendation a screen:
-- every recommendation the meeting's body follows (owns, or has had reported to it) that is
-- open as at the meeting or changed since the previous meeting of the body. In agenda
-- order, by section: 1 closure proposed for decision, 2 status or RAG changed, 3 newly
-- overdue, 4 overdue already at the previous meeting, 5 the others; in report and number
-- order within a section. Each with its status and RAG before (at the previous meeting) and
-- now.
with this_meeting as (
    select meeting_id, body, held_on
    from meetings
    where meeting_id = $meeting_id
),
previous as (
    select coalesce(max(m.held_on), any_value(cast(t.held_on - interval 1 day as date)))
        as held_on
    from this_meeting as t
    left join meetings as m
        on m.body = t.body
        and m.held_on < t.held_on
),
followed as (
    select rec_id
    from recommendations_followed_at($meeting_id)
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
        n.rec_id, n.title, n.report_code, n.number,
        b.status as status_before, n.status as status_now,
        b.rag as rag_before, n.rag as rag_now, n.is_open,
        b.overdue as overdue_before, n.overdue as overdue_now
    from now_position as n
    join before_position as b
        using (rec_id)
    semi join followed
        using (rec_id)
),
placed as (
    select *,
        case
            when status_now = 'Closure proposed' then 1
            when status_before <> status_now then 2
            when is_open and rag_before is distinct from rag_now then 2
            when overdue_now and not overdue_before then 3
            when overdue_now then 4
            when is_open then 5
        end as section
    from compared
)
select
    rec_id,
    title,
    section,
    status_before,
    status_now,
    rag_before,
    rag_now
from placed
where section is not null
order by section, report_code, number;
