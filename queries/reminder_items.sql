-- The open recommendations that meeting $meeting_id's body follows (owns, or has had
-- reported to it), as at $today, with their lead: whether each still owes an update for the
-- meeting (no live update for it, as updates_owed_at), how many days it is overdue today,
-- whether it will be overdue by the meeting, and whether it became overdue since the body's
-- previous meeting (as the Meetings page's 'Newly overdue'); and the next steps its last
-- update gave.
with this_meeting as (
    select body, held_on
    from meetings
    where meeting_id = $meeting_id
),
previous as (
    select max(m.held_on) as held_on
    from meetings as m
    join this_meeting as t
        on m.body = t.body
        and m.held_on < t.held_on
),
reported as (
    select u.rec_id
    from updates as u
    semi join live_batches as b
        on b.batch_id = u.batch_id
    where u.meeting_id = $meeting_id
),
at_meeting as (
    select rec_id, overdue
    from status_as_at((select held_on from this_meeting))
),
at_previous as (
    select rec_id, overdue
    from status_as_at((select held_on from previous))
)
select
    s.lead,
    s.rec_id,
    s.title,
    s.status,
    s.rag,
    s.due,
    s.days_overdue,
    s.last_update_on,
    e.next_steps as last_next_steps,
    s.rec_id not in (select rec_id from reported) as owes_update,
    coalesce(m.overdue, false) as overdue_by_meeting,
    coalesce(m.overdue, false) and not coalesce(p.overdue, false) as newly_overdue
from status_as_at($today) as s
semi join recommendations_followed_at($meeting_id) as f
    using (rec_id)
left join at_meeting as m
    using (rec_id)
left join at_previous as p
    using (rec_id)
left join effective_updates as e
    on e.rec_id = s.rec_id
    and e.meeting_id = s.last_meeting_id
where s.is_open
order by s.report_code, s.number;
