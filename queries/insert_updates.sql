-- Append the checked updates rows to the updates table as batch $batch_id.
insert into updates (
    update_id, rec_id, meeting_id, status, rag, narrative, next_steps, revised_due,
    revision_reason, evidence, reported_by, batch_id, recorded_at, source_row
)
select
    nextval('record_seq'),
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
from checked
order by row_number;
