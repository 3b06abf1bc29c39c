-- The reminders already sent for meeting $meeting_id of kind $kind (every round when $round
-- is null): to whom, listing what, when.
select
    recipient,
    recipient_name,
    round,
    rec_ids,
    sent_at,
    message_id
from reminder_messages
where meeting_id = $meeting_id
    and kind = $kind
    and ($round is null or round = $round)
order by sent_at;
