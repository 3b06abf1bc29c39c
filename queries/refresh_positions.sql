-- Rebuild the positions and reported_to (schema.sql) of every recommendation batch $batch_id
-- has updates for (of every recommendation when $batch_id is null), from the updates now in
-- force. Run in the transaction that commits or undoes the batch, once its status is set.
-- A recommendation with no position yet (its first updates) has only this batch's updates
-- in force, which spares working out effective_updates for the first upload of a big file.
create or replace temp table touched as
select
    t.rec_id,
    $batch_id is not null
        and not exists (select 1 from positions as p where p.rec_id = t.rec_id) as fresh
from (
    select distinct rec_id
    from updates
    where $batch_id is null
        or batch_id = $batch_id
) as t;

delete from positions
where rec_id in (select rec_id from touched);

delete from reported_to
where rec_id in (select rec_id from touched);

-- (Any live update counts: where one is superseded, the one in force is at the same meeting.)
insert into reported_to (rec_id, body)
select distinct u.rec_id, m.body
from updates as u
semi join touched
    using (rec_id)
semi join live_batches as b
    on b.batch_id = u.batch_id
join meetings as m
    using (meeting_id);

insert into positions (
    rec_id, held_on, until, update_id, meeting_id, status, rag, revised_due, revisions, is_first
)
with in_force as (
    select u.rec_id, m.held_on, u.update_id, u.meeting_id, u.status, u.rag, u.revised_due
    from updates as u
    join meetings as m
        using (meeting_id)
    semi join touched as t
        on t.rec_id = u.rec_id
        and t.fresh
    where u.batch_id = $batch_id
    union all
    select u.rec_id, u.held_on, u.update_id, u.meeting_id, u.status, u.rag, u.revised_due
    from effective_updates as u
    semi join touched as t
        on t.rec_id = u.rec_id
        and not t.fresh
)
-- One position a day, from the day's latest update (two bodies can meet on one date): the
-- revised due date and the count of revisions run over every update up to it.
select
    rec_id,
    held_on,
    coalesce(lead(held_on) over so_far, date '9999-12-31') as until,
    update_id,
    meeting_id,
    status,
    rag,
    last_value(revised_due ignore nulls) over so_far as revised_due,
    count(revised_due) over so_far as revisions,
    first_value(held_on) over so_far = held_on as is_first
from in_force
window so_far as (
    partition by rec_id order by held_on, update_id
    rows between unbounded preceding and current row)
qualify lead(held_on) over so_far is distinct from held_on;
