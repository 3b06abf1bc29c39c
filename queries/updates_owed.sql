-- Who owes an update for meeting $meeting_id (updates_owed_at in schema.sql), by lead: the
-- $limit rows (all when null) from row $offset + 1, each with total_rows: how many in all.
select
    lead,
    rec_id,
    title,
    status,
    rag,
    last_update_on,
    due,
    count(*) over () as total_rows
from updates_owed_at($meeting_id, $report, $body, $lead, $addressee)
order by lead = 'No lead set', lead, report_code, number
limit $limit
offset $offset;
