-- Every lead name (of a recommendation, or given an address) with how it can be reminded:
-- the address set for the name (and when, by whom, from where), the users who answer for it
-- with their addresses, and how many open recommendations it leads.
with names as (
    select lead
    from recommendations
    where lead is not null
    union
    select lead
    from lead_addresses
),
users_for as (
    select n.lead,
        string_agg(u.display_name || ' <' || u.email || '>', '; ' order by u.username)
            as users
    from names as n
    join users as u
        on list_contains(u.lead_names, n.lead)
    where u.enabled
        and u.email is not null
    group by n.lead
),
open_count as (
    select lead, count(*) as open_recommendations
    from current_status
    where is_open
        and lead is not null
    group by lead
)
select
    n.lead,
    a.email as address,
    u.users,
    coalesce(o.open_recommendations, 0) as open_recommendations,
    a.source,
    a.recorded_by,
    a.recorded_at
from names as n
left join lead_addresses as a
    using (lead)
left join users_for as u
    using (lead)
left join open_count as o
    using (lead)
order by n.lead;
