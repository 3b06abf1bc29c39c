-- How many updates each lead owes for meeting $meeting_id (updates_owed_at in schema.sql),
-- most first.
select
    lead,
    count(*) as "updates owed"
from updates_owed_at($meeting_id, $report, $body, $lead, $addressee)
group by lead
order by "updates owed" desc, lead;
