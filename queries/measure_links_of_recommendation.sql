-- The series recommendation $rec_id is linked to, with each measure's definition and the
-- way the link expects it to move; by measure name, then breakdown.
select
    l.rec_id,
    l.measure_id,
    l.breakdown,
    m.name,
    m.unit,
    m.better,
    m.description,
    m.source,
    m.stage,
    l.expected,
    l.note,
    m.illustrative
from measure_links as l
join measures as m
    using (measure_id)
where l.rec_id = $rec_id
order by m.name, l.breakdown;
