-- One recommendation as presenting mode shows it at meeting $meeting_id: where it stood as
-- at the meeting's date (status, RAG, due dates, overdue) and the latest update by then,
-- with its narrative, next steps and evidence.
with this_meeting as (
    select meeting_id, body, held_on
    from meetings
    where meeting_id = $meeting_id
),
now_position as (
    select *
    from status_as_at((select held_on from this_meeting))
    where rec_id = $rec_id
),
-- (The update looked up by its id as a value: joined, DuckDB would hash every update.)
latest_update as (
    select u.*
    from updates as u
    where u.update_id = (
        select p.update_id
        from positions as p
        join now_position as n
            on p.rec_id = n.rec_id
            and p.held_on = n.last_update_on)
)
select
    n.rec_id,
    n.title,
    n.report_code,
    n.lead,
    n.body,
    n.status,
    n.rag,
    n.due,
    n.original_due,
    n.revisions,
    n.overdue,
    n.days_overdue,
    t.held_on as meeting_held_on,
    t.meeting_id as meeting_id,
    n.last_update_on,
    u.meeting_id as last_update_meeting_id,
    (select body from meetings where meeting_id = u.meeting_id) as last_update_body,
    u.narrative,
    u.next_steps,
    u.evidence,
    u.reported_by,
    u.kind as last_update_kind
from now_position as n
cross join this_meeting as t
left join latest_update as u
    on true;
