-- Record one reminder the mail server accepted.
insert into reminder_messages (message_id, meeting_id, kind, round, recipient, recipient_name,
    rec_ids, sent_by)
values ($message_id, $meeting_id, $kind, $round, $recipient, $recipient_name, $rec_ids,
    $sent_by);
