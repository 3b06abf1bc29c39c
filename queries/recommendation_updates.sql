-- Every report in force for one recommendation, and the Board's closure decisions, newest
-- meeting first (at one meeting, the decision above the report it decided on).
select
    u.held_on,
    u.meeting_id,
    m.title as meeting,
    u.meeting_body as body,
    u.status,
    u.rag,
    u.narrative,
    u.next_steps,
    u.revised_due,
    u.revision_reason,
    u.evidence,
    u.reported_by,
    u.kind
from update_history as u
join meetings as m
    using (meeting_id)
where u.rec_id = $rec_id
order by u.held_on desc, u.kind = 'decision' desc, u.update_id desc;
