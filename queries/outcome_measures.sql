-- Every outcome series (a measure and a breakdown, with figures or a link) as at $as_at:
-- the latest figure of the Board's own area, the one four periods before it, the
-- comparator's figure for the same period (else its latest), and the recommendations linked
-- to it. With a filter set ($report, $body, $lead, $addressee, or a list $rec_ids), only
-- the series linked to a recommendation the filters select.
with series as (
    select measure_id, breakdown
    from measure_values_in_force
    union
    select measure_id, breakdown
    from measure_links
),
selected as (
    select rec_id
    from recommendations as r
    where matches_filters(r.rec_id, r.report_code, r.body, r.lead,
            $report, $body, $lead, $addressee)
        and ($rec_ids is null or list_contains($rec_ids, r.rec_id))
),
linked as (
    select
        l.measure_id,
        l.breakdown,
        string_agg(l.rec_id, ', ' order by r.report_code, r.number) as recommendations,
        bool_or(l.rec_id in (select rec_id from selected)) as selected
    from measure_links as l
    join recommendations as r
        using (rec_id)
    group by l.measure_id, l.breakdown
),
own as (
    select *,
        row_number() over (
            partition by measure_id, breakdown order by period_end desc, period_start desc)
            as back
    from series_values
    where series_role = 'own'
        and period_end <= $as_at
),
comparator as (
    select *,
        row_number() over (
            partition by measure_id, breakdown order by period_end desc, period_start desc)
            as back
    from series_values
    where series_role = 'comparator'
        and period_end <= $as_at
)
select
    s.measure_id,
    s.breakdown,
    m.name,
    m.unit,
    m.better,
    m.stage,
    m.description,
    m.source,
    l.area as own_area,
    l.period_kind,
    l.period_label as latest_period,
    l.period_end as latest_end,
    l.value as latest_value,
    e.period_label as earlier_period,
    e.value as earlier_value,
    coalesce(same.area, c.area) as comparator_area,
    coalesce(same.role, c.role) as comparator_role,
    coalesce(same.period_label, c.period_label) as comparator_period,
    coalesce(same.value, c.value) as comparator_value,
    k.recommendations,
    coalesce(l.illustrative, false) as latest_illustrative,
    coalesce(e.illustrative, false) as earlier_illustrative,
    coalesce(same.illustrative, c.illustrative, false) as comparator_illustrative,
    -- Whether anything shown of the series is illustrative (its definition included).
    coalesce(l.illustrative, false) or coalesce(e.illustrative, false)
        or coalesce(same.illustrative, c.illustrative, false) or m.illustrative as illustrative
from series as s
join measures as m
    using (measure_id)
left join own as l
    on l.measure_id = s.measure_id
    and l.breakdown = s.breakdown
    and l.back = 1
left join own as e
    on e.measure_id = s.measure_id
    and e.breakdown = s.breakdown
    and e.back = 5
left join comparator as same
    on same.measure_id = s.measure_id
    and same.breakdown = s.breakdown
    and same.period_start = l.period_start
    and same.period_end = l.period_end
left join comparator as c
    on c.measure_id = s.measure_id
    and c.breakdown = s.breakdown
    and c.back = 1
left join linked as k
    on k.measure_id = s.measure_id
    and k.breakdown = s.breakdown
where coalesce(k.selected, false)
    or ($report is null and $body is null and $lead is null and $addressee is null
        and $rec_ids is null)
order by m.stage nulls last, m.name, s.breakdown;
