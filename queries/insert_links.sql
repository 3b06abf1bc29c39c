-- Append the checked links rows that change something as batch $batch_id: each a link from
-- a recommendation to a measure it is meant to move.
insert into measure_link_records (
    record_id, rec_id, measure_id, breakdown, expected, linked, note, batch_id
)
select nextval('record_seq'), rec_id, measure_id, breakdown, expected, true, note, $batch_id
from checked
where will_write;
