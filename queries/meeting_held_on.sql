-- The date meeting $meeting_id was held (no row when there is no such meeting).
select held_on
from meetings
where meeting_id = $meeting_id;
