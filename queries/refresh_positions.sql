-- Rebuild the positions (schema.sql) of every recommendation batch $batch_id has updates for
-- (of every recommendation when $batch_id is null), from the updates now in force. Run in
-- the transaction that commits or undoes the batch, after its rows are written or reverted.
create or replace temp table touched as
select distinct rec_id
from updates
where $batch_id is null
    or batch_id = $batch_id;

delete from positions
where rec_id in (select rec_id from touched);

insert into positions (
    rec_id, held_on, until, update_id, meeting_id, status, rag, revised_due, revisions, is_first
)
with in_force as (
    select u.rec_id, u.held_on, u.update_id, u.meeting_id, u.status, u.rag, u.revised_due
    from effective_updates as u
    semi join touched
        using (rec_id)
),
-- One position a day: the latest update of that day (two bodies can meet on one date).
days as (
    select
        rec_id,
        held_on,
        arg_max({'update_id': update_id, 'meeting_id': meeting_id, 'status': status,
            'rag': rag}, update_id) as latest,
        arg_max(revised_due, update_id) filter (where revised_due is not null) as revised_due,
        count(revised_due) as revisions
    from in_force
    group by rec_id, held_on
)
select
    rec_id,
    held_on,
    coalesce(lead(held_on) over recommendation_days, date '9999-12-31') as until,
    latest.update_id,
    latest.meeting_id,
    latest.status,
    latest.rag,
    last_value(revised_due ignore nulls) over so_far as revised_due,
    sum(revisions) over so_far as revisions,
    lag(held_on) over recommendation_days is null as is_first
from days
window
    recommendation_days as (partition by rec_id order by held_on),
    so_far as (partition by rec_id order by held_on rows between unbounded preceding and current row);
