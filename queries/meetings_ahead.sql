-- The meetings on or after $today, soonest first: what a scheduled reminder run looks at.
select
    meeting_id,
    body,
    held_on,
    title
from meetings
where held_on >= $today
order by held_on, body;
