-- The overdue recommendations as at $as_at counted by $by ('lead', 'body' or 'addressee';
-- an item counts once for each of its addressees), with the longest overdue in each group,
-- most first.
with overdue as (
    select s.rec_id, s.lead, s.body, s.days_overdue
    from status_as_at($as_at) as s
    where s.overdue
        and matches_filters(s.rec_id, s.report_code, s.body, s.lead,
            $report, $body, $lead, $addressee)
),
grouped as (
    select coalesce(lead, 'not set') as "group", rec_id, days_overdue
    from overdue
    where $by = 'lead'
    union all
    select body, rec_id, days_overdue
    from overdue
    where $by = 'body'
    union all
    select coalesce(a.addressee, 'not set'), o.rec_id, o.days_overdue
    from overdue as o
    left join recommendation_addressees as a
        using (rec_id)
    where $by = 'addressee'
)
select
    "group",
    count(*) as recommendations,
    max(days_overdue) as most_days_overdue
from grouped
group by "group"
order by recommendations desc, most_days_overdue desc, "group";
