-- Every reminder sent (only meeting $meeting_id's when given), newest first: the $limit rows
-- from row $offset + 1, each with total_rows: how many in all.
select
    sent_at,
    meeting_id,
    kind,
    round as days_before,
    recipient_name as sent_to,
    recipient as address,
    len(rec_ids) as recommendations,
    sent_by,
    message_id,
    count(*) over () as total_rows
from reminder_messages
where $meeting_id is null
    or meeting_id = $meeting_id
order by sent_at desc, recipient
limit $limit
offset $offset;
