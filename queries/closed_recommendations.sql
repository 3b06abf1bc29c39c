-- Recommendations now closed (Complete or Superseded), the meeting that closed them first
-- newest: the ones the Board may reopen (decisions.reopen), at that meeting or a later one.
select
    c.rec_id,
    c.title,
    c.status,
    c.lead,
    c.body,
    c.last_meeting_id as closed_at,
    m.held_on as closed_on
from current_status as c
join meetings as m
    on m.meeting_id = c.last_meeting_id
where c.status in ('Complete', 'Superseded')
order by m.held_on desc, c.report_code, c.number;
