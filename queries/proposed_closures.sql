-- Recommendations whose closure a lead has proposed, waiting for the Board's decision, with
-- the proposal's evidence and the meetings of the body at which it can be decided.
select
    c.rec_id,
    c.title,
    c.lead,
    c.body,
    u.meeting_id as proposed_at,
    u.held_on as proposed_on,
    u.narrative,
    u.evidence,
    u.reported_by
from current_status as c
join effective_updates as u
    on u.rec_id = c.rec_id
    and u.meeting_id = c.last_meeting_id
where c.status = 'Closure proposed'
order by u.held_on, c.report_code, c.number;
