-- The batches that can be undone, newest first: every committed one but the seed.
select
    batch_id,
    kind,
    file_name,
    imported_by
from import_batches
where status = 'committed'
    and kind <> 'seed'
order by batch_id desc;
