-- The meeting an updates template is for: the earliest meeting on or after $today of a body
-- that owns an open recommendation (only $lead's when given).
select
    min(m.held_on) as meeting_date
from status_as_at($today) as s
join meetings as m
    on m.body = s.body
    and m.held_on >= $today
where s.is_open
    and ($lead is null or s.lead = $lead);
