-- Rebuild current_recommendations (schema.sql) for every recommendation batch $batch_id has
-- a version of (for every recommendation when $batch_id is null): its newest record in a
-- live batch. Run in the transaction that commits or undoes the batch.
create or replace temp table touched_recommendations as
select distinct rec_id
from recommendation_records
where $batch_id is null
    or batch_id = $batch_id;

delete from current_recommendations
where rec_id in (select rec_id from touched_recommendations);

insert into current_recommendations (
    rec_id, report_code, number, title, text, timescale, original_due, lead, body,
    initial_response, record_id, illustrative
)
select rec_id, report_code, number, title, text, timescale, original_due, lead, body,
    initial_response, record_id, illustrative
from (
    select r.*, b.illustrative,
        row_number() over (partition by r.rec_id order by r.record_id desc) as newest
    from recommendation_records as r
    semi join touched_recommendations as t
        using (rec_id)
    join live_batches as b
        using (batch_id)
)
where newest = 1;
