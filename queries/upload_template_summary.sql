-- What an updates template would hold: how many open recommendations (only $lead's when
-- given), and the meeting it is for: the earliest meeting on or after $today of a body that
-- owns one of them.
select
    count(distinct s.rec_id) as recommendations,
    min(m.held_on) as meeting_date
from status_as_at($today) as s
left join meetings as m
    on m.body = s.body
    and m.held_on >= $today
where s.is_open
    and ($lead is null or s.lead = $lead);
