-- Later live batches whose records use a meeting, recommendation, measure or area that only
-- batch $batch_id holds, or that move such a meeting: undoing $batch_id would leave those
-- records pointing at nothing (updates at a meeting or of a recommendation; moves of a
-- meeting; figures of a measure or for an area; links to a measure or of a recommendation).
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
),
orphaned_measures as (
    select measure_id
    from measure_records
    where batch_id = $batch_id
    except
    select measure_id
    from measure_records
    semi join others using (batch_id)
),
orphaned_areas as (
    select area_id
    from area_records
    where batch_id = $batch_id
    except
    select area_id
    from area_records
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
union
select distinct v.batch_id
from measure_values as v
semi join others using (batch_id)
where v.measure_id in (select measure_id from orphaned_measures)
    or v.area_id in (select area_id from orphaned_areas)
union
select distinct l.batch_id
from measure_link_records as l
semi join others using (batch_id)
where l.measure_id in (select measure_id from orphaned_measures)
    or l.rec_id in (select rec_id from orphaned_recommendations)
order by 1;
