-- Every link record of recommendation $rec_id, newest first: which measure, linked or
-- taken away, which way it was expected to move, by whom and when, and whether its batch
-- stands or was undone.
select
    b.imported_at as recorded_at,
    coalesce(m.name, l.measure_id) as measure,
    l.breakdown,
    case when l.linked then 'linked' else 'link taken away' end as change,
    l.expected,
    l.note,
    b.imported_by as recorded_by,
    l.batch_id as batch,
    b.status as batch_status
from measure_link_records as l
join import_batches as b
    using (batch_id)
left join measures as m
    using (measure_id)
where l.rec_id = $rec_id
order by l.record_id desc;
