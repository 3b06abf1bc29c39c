-- Every user as the chair's Users page lists them: role, state, what a lead answers for, how
-- many sessions are live and whether they must change a one-time password at the next sign-in.
select
    u.username,
    u.display_name as name,
    u.role,
    u.email,
    case when u.enabled then 'enabled' else 'disabled' end as state,
    array_to_string(list_concat(u.lead_names, u.rec_ids), '; ') as answers_for,
    (
        select count(*)
        from sessions as s
        where s.username = u.username
            and s.ended_at is null
            and s.last_seen_at > now() - interval 30 minutes
            and s.started_at > now() - interval 10 hours
    ) as live_sessions,
    o.record_id is not null as must_change_password,
    u.recorded_at as changed_at
from users as u
left join one_time_passwords as o
    using (record_id)
order by u.username;
