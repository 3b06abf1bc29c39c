-- Every meeting, newest first, with the previous meeting of the same body.
select
    meeting_id,
    body,
    held_on,
    title,
    lag(meeting_id) over (partition by body order by held_on) as previous_meeting_id,
    lag(held_on) over (partition by body order by held_on) as previous_held_on
from meetings
order by held_on desc, body;
