-- Later live batches whose updates use a meeting or recommendation that only batch
-- $batch_id holds, or that move such a meeting: undoing $batch_id would leave those updates
-- or moves pointing at nothing.
with others as (
    select batch_id
    from live_batches
    where batch_id <> $batch_id
),
orphaned_meetings as (
    select meeting_id
    from meeting_records
    where batch_id = $batch_id
    except
    select meeting_id
    from meeting_records
    semi join others using (batch_id)
),
orphaned_recommendations as (
    select rec_id
    from recommendation_records
    where batch_id = $batch_id
    except
    select rec_id
    from recommendation_records
    semi join others using (batch_id)
)
select distinct u.batch_id
from updates as u
semi join others using (batch_id)
where u.meeting_id in (select meeting_id from orphaned_meetings)
    or u.rec_id in (select rec_id from orphaned_recommendations)
union
select v.batch_id
from meeting_moves as v
semi join others using (batch_id)
where v.replaces in (select meeting_id from orphaned_meetings)
order by 1;
