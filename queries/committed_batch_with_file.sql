-- The first committed batch of kind $kind whose file had SHA-256 $sha256 (null when none):
-- the same file again adds nothing.
select min(batch_id) as batch_id
from import_batches
where kind = $kind
    and sha256 = $sha256
    and status = 'committed';
