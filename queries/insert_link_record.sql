-- One link record written on a recommendation's page, as batch $batch_id: $linked true
-- links $rec_id to the series, expected to $expected; false takes the link away.
insert into measure_link_records (
    record_id, rec_id, measure_id, breakdown, expected, linked, note, batch_id
)
values (
    nextval('record_seq'), $rec_id, $measure_id, $breakdown, $expected, $linked, $note,
    $batch_id
);
