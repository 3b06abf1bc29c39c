-- The meetings of body $body for its calendar (one meeting, $meeting_id, when given): each
-- with the meeting it was first planned as (the end of its chain of moves, for a UID that
-- stays put), how many times it moved (the event's SEQUENCE), and when it was recorded.
with recursive live_moves as (
    select v.meeting_id, v.replaces
    from meeting_moves as v
    semi join live_batches as l
        on l.batch_id = v.batch_id
),
chosen as (
    select m.meeting_id, m.body, m.held_on, m.title
    from meetings as m
    where m.body = $body
        and ($meeting_id is null or m.meeting_id = $meeting_id)
),
chain (meeting_id, first_planned, moves) as (
    select meeting_id, meeting_id, 0
    from chosen
    union all
    select c.meeting_id, v.replaces, c.moves + 1
    from chain as c
    join live_moves as v
        on v.meeting_id = c.first_planned
),
recorded as (
    select r.meeting_id, max(b.imported_at) as recorded_at
    from meeting_records as r
    join import_batches as b
        using (batch_id)
    where b.status = 'committed'
    group by r.meeting_id
)
select
    c.meeting_id,
    c.body,
    d.name as body_name,
    c.held_on,
    c.title,
    arg_max(h.first_planned, h.moves) as first_planned,
    max(h.moves) as sequence,
    any_value(r.recorded_at) as recorded_at
from chosen as c
join chain as h
    using (meeting_id)
join bodies as d
    on d.body = c.body
left join recorded as r
    using (meeting_id)
group by all
order by c.held_on;
