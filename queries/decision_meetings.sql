-- The meetings at which the Board can have decided on a closure proposed at $proposed_at:
-- that meeting and the later ones of the same body held by today, newest first.
select m.meeting_id, m.body, m.held_on, m.title
from meetings as m
join meetings as p
    on p.meeting_id = $proposed_at
    and m.body = p.body
    and m.held_on >= p.held_on
where m.held_on <= london_today()
order by m.held_on desc;
