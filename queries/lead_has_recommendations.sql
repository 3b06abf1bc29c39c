-- Whether any recommendation has lead $lead (one row if so).
select 1
from recommendations
where lead = $lead
limit 1;
