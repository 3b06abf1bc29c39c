-- Add the checked meetings that are not already held, as batch $batch_id, and the meetings
-- they replace (a moved meeting).
insert into meeting_records (record_id, meeting_id, body, held_on, title, batch_id)
select nextval('record_seq'), meeting_id, body, held_on, title, $batch_id
from checked
where not already_held
order by row_number;

insert into meeting_moves (meeting_id, replaces, batch_id)
select meeting_id, replaces, $batch_id
from checked
where replaces is not null
    and not already_held
order by row_number;
