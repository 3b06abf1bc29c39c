-- Undo batch $batch_id: mark it reverted, recording who and when. Every view then ignores
-- what it wrote; nothing is deleted.
update import_batches
set status = 'reverted',
    reverted_by = $reverted_by,
    reverted_at = now()
where batch_id = $batch_id;
