-- The Board's decision on a proposed closure, as an update of kind 'decision' in batch
-- $batch_id, with id $update_id (batches.first_update_id): Complete (accepted) or In progress
-- (not accepted) at meeting $meeting_id.
insert into updates (
    update_id, rec_id, meeting_id, status, rag, narrative, evidence, reported_by, batch_id,
    kind
)
values (
    $update_id,
    $rec_id,
    $meeting_id,
    $status,
    $rag,
    $narrative,
    $evidence,
    $reported_by,
    $batch_id,
    'decision'
);
