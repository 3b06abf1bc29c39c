-- Recommendations whose closure a lead has proposed, waiting for the Board's decision, with
-- the proposal's evidence and the meetings of the body at which it can be decided.
select
    c.rec_id,
    c.title,
    c.lead,
    c.body,
    p.meeting_id as proposed_at,
    p.held_on as proposed_on,
    u.narrative,
    u.evidence,
    u.reported_by
from current_status as c
join positions as p
    on p.rec_id = c.rec_id
    and p.held_on = c.last_update_on
join updates as u
    on u.update_id = p.update_id
where c.status = 'Closure proposed'
order by p.held_on, c.report_code, c.number;
