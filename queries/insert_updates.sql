-- Append the checked updates rows to the updates table as batch $batch_id.
insert into updates (
    update_id, rec_id, meeting_id, status, rag, narrative, next_steps, revised_due,
    revision_reason, evidence, reported_by, batch_id, recorded_at, source_row
)
select
    -- Ids follow on from the highest held, so a later upload supersedes an earlier one.
    (select coalesce(max(update_id), 0) from updates) + row_number() over (),
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
