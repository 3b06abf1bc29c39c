-- Append the checked updates rows to the updates table as batch $batch_id, their ids from
-- the first one the batch was given on. `checked` (check_updates.sql) is read once: for a
-- good file, a view over the staged file.
insert into updates (
    update_id, rec_id, meeting_id, status, rag, narrative, next_steps, revised_due,
    revision_reason, evidence, reported_by, batch_id, recorded_at, source_row
)
select
    -- Ids follow on from the highest held ($first_update_id: batches.first_update_id), so a
    -- later upload supersedes an earlier one; the file row (unique in the file, from 2)
    -- numbers them without a window function's single pass.
    $first_update_id + row_number - 2,
    rec_id,
    meeting_id,
    status,
    case when status in ('Complete', 'Superseded') then null else rag end,
    narrative,
    next_steps,
    revised_due,
    revision_reason,
    evidence,
    reported_by,
    $batch_id,
    now(),
    row_number
from checked;

-- Then every update held before for a recommendation and meeting this batch reports on is
-- superseded by it (superseded_updates in schema.sql: what effective_updates leaves out
-- while this batch is live), found from the rows just written.
insert into superseded_updates (update_id, by_batch)
select
    u.update_id,
    $batch_id
from updates as u
semi join (
    select rec_id, meeting_id
    from updates
    where batch_id = $batch_id
) as n
    on n.rec_id = u.rec_id
    and n.meeting_id = u.meeting_id
where u.kind = 'update'
    and u.batch_id <> $batch_id;
