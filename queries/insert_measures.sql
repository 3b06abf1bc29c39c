-- Append the checked measures file as batch $batch_id: the measures and areas it defines
-- that are not held, then every figure to write (check_measures.sql's will_write).
insert into measure_records (
    record_id, measure_id, name, unit, better, description, source, stage, batch_id
)
select nextval('record_seq'), measure_id, name, unit, better, description, source, stage,
    $batch_id
from file_measures as f
where unit is not null
    and better is not null
    and not exists (select 1 from measures as m where m.measure_id = f.measure_id);

insert into area_records (record_id, area_id, name, role, batch_id)
select nextval('record_seq'), area_id, name, role, $batch_id
from file_areas as f
where not exists (select 1 from areas as a where a.area_id = f.area_id);

insert into measure_values (
    value_id, measure_id, area_id, breakdown, period_label, period_kind, period_start,
    period_end, value, batch_id, source_row
)
select nextval('record_seq'), measure_id, area_id, breakdown, period_label, period_kind,
    period_start, period_end, value, $batch_id, row_number
from checked
where will_write;
