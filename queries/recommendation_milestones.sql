-- The dates recommendation $rec_id's outcome measures are read against, as at $as_at: when
-- it was first reported; each change of status after that (completion among them, and a
-- first report that is already a completion); its original due date; and its current due
-- date when a revision moved it. Oldest first.
with steps as (
    select
        held_on,
        meeting_id,
        status,
        lag(status) over (order by held_on) as status_before,
        is_first
    from positions
    where rec_id = $rec_id
        and held_on <= $as_at
)
select held_on as on_date, 'reported' as kind, cast(null as varchar) as status_before, status,
    meeting_id
from steps
where is_first
union all
select held_on,
    case status when 'Complete' then 'completed' when 'Superseded' then 'superseded'
        else 'status' end,
    status_before, status, meeting_id
from steps
where status is distinct from status_before
    and (not is_first or status in ('Complete', 'Superseded'))
union all
select original_due, 'due', null, null, null
from recommendations
where rec_id = $rec_id
    and original_due is not null
union all
select due, 'revised-due', null, null, null
from status_as_at($as_at)
where rec_id = $rec_id
    and revisions > 0
    and due is distinct from original_due
order by on_date, kind;
