-- Where recommendation $rec_id stands for the Board's decision: its status, the date of the
-- meeting its latest update (the proposal) was for, and its RAG.
select
    c.status,
    m.held_on,
    c.rag
from current_status as c
left join meetings as m
    on m.meeting_id = c.last_meeting_id
where c.rec_id = $rec_id;
