-- The closures a checked updates file proposes (check_updates.sql's temp table `checked`),
-- one row per recommendation: each is a closure-proposal event in the audit trail.
select
    rec_id,
    meeting_id
from checked
where status = 'Closure proposed'
order by rec_id;
