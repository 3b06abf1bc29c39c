-- One recommendation's due dates: the original, then each revision with its reason and
-- the meeting it was reported at, and the days slipped by each step and in all.
with steps as (
    select 0 as step, cast(null as date) as reported_on, cast(null as varchar) as meeting_id,
        original_due as due, 'Original due date' as reason
    from recommendations
    where rec_id = $rec_id
    union all
    select row_number() over (order by held_on, update_id), held_on, meeting_id,
        revised_due, revision_reason
    from effective_updates
    where rec_id = $rec_id
        and revised_due is not null
)
select
    step,
    reported_on,
    meeting_id,
    due,
    reason,
    date_diff('day', lag(due) over (order by step), due) as days_slipped,
    date_diff('day', first(due) over (order by step), due) as days_slipped_in_all
from steps
order by step;
