-- Before and after a milestone, for one series ($measure_id, $breakdown) as at $as_at, for
-- each area with figures: the latest figure whose period ended before $milestone (before),
-- the latest whose period began on or after it (after), and the periods that contain the
-- milestone's date, which count as neither (straddling). The own area first, then the
-- comparator, then any other.
select
    area_id,
    area,
    role,
    series_role,
    any_value(period_kind) as period_kind,
    max(period_end) filter (where period_end < $milestone) as before_end,
    arg_max(period_label, period_end) filter (where period_end < $milestone) as before_period,
    arg_max(value, period_end) filter (where period_end < $milestone) as before_value,
    max(period_end) filter (where period_start >= $milestone) as after_end,
    arg_max(period_label, period_end) filter (where period_start >= $milestone) as after_period,
    arg_max(value, period_end) filter (where period_start >= $milestone) as after_value,
    string_agg(period_label, '; ' order by period_end)
        filter (where period_start < $milestone and period_end >= $milestone) as straddling,
    arg_max(period_label, period_end) as latest_period,
    bool_or(illustrative) as illustrative
from series_values
where measure_id = $measure_id
    and breakdown = $breakdown
    and period_end <= $as_at
group by area_id, area, role, series_role
order by case series_role when 'own' then 0 when 'comparator' then 1 else 2 end, area;
