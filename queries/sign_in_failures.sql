-- Failed sign-ins to account $username within the last $window since its last successful
-- one: how many, and when the latest was.
select
    count(*) as failures,
    max(occurred_at) as latest
from audit_events
where action = 'sign-in'
    and target = $username
    and outcome = 'failure'
    and occurred_at > now() - $window
    and event_id > coalesce((
        select max(event_id)
        from audit_events
        where action = 'sign-in'
            and target = $username
            and outcome = 'success'
    ), 0);
