-- The inspection reports the source letter answers, from data/seed/reports.csv.
insert into report_records (record_id, report_code, title, publisher, published_on, link, batch_id)
select nextval('record_seq'), report_code, title, publisher, cast(published_on as date), link, $batch_id
from read_csv($path, header = true, all_varchar = true);
