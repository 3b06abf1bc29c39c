-- What became of batch $batch_id: committed, rejected, duplicate or reverted (no row when
-- there is no such batch).
select status
from import_batches
where batch_id = $batch_id;
