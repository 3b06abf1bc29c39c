-- Meeting $meeting_id as a reminder names it: its body and the body's name, its date and
-- title, the date it moved from (if a meetings file moved it) and the body's previous meeting.
select
    m.meeting_id,
    m.body,
    b.name as body_name,
    m.held_on,
    m.title,
    (
        select max(r.held_on)
        from meeting_moves as v
        semi join live_batches as l
            on l.batch_id = v.batch_id
        join meeting_records as r
            on r.meeting_id = v.replaces
        where v.meeting_id = m.meeting_id
    ) as moved_from,
    (
        select max(p.held_on)
        from meetings as p
        where p.body = m.body
            and p.held_on < m.held_on
    ) as previous_held_on
from meetings as m
join bodies as b
    using (body)
where m.meeting_id = $meeting_id;
