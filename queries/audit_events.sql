-- The audit trail, newest first, filtered by action, actor, outcome and a date range
-- (each filter null for all; dates are days in Europe/London, both ends included).
-- $limit rows (all when null) from row $offset + 1, each with total_rows: how many in all.
with matching as materialized (
    select
        event_id,
        occurred_at,
        actor,
        action,
        target,
        outcome,
        detail
    from audit_events
    where ($action is null or action = $action)
        and ($actor is null or actor = $actor)
        and ($outcome is null or outcome = $outcome)
        and ($since is null or cast(timezone('Europe/London', occurred_at) as date) >= $since)
        and ($until is null or cast(timezone('Europe/London', occurred_at) as date) <= $until)
)
select
    *,
    (select count(*) from matching) as total_rows
from matching
order by event_id desc
limit $limit
offset $offset;
