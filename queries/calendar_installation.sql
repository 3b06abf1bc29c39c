-- This database's own id for calendar UIDs (cjb_tracker.ics.installation_id).
select value
from server_secrets
where name = 'calendar-uid';
