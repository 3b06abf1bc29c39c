-- The figures of one series ($measure_id, $breakdown) in its kind of period (series_values
-- in schema.sql), for every area with figures, as at $as_at: the Board's own area first,
-- then the comparator, then any other; each oldest first.
select
    s.measure_id,
    s.breakdown,
    m.name,
    m.unit,
    m.better,
    s.area_id,
    s.area,
    s.role,
    s.series_role,
    s.period_kind,
    s.period_label,
    s.period_start,
    s.period_end,
    s.value,
    s.illustrative
from series_values as s
join measures as m
    using (measure_id)
where s.measure_id = $measure_id
    and s.breakdown = $breakdown
    and s.period_end <= $as_at
order by
    case s.series_role when 'own' then 0 when 'comparator' then 1 else 2 end,
    s.area,
    s.period_end,
    s.period_start;
