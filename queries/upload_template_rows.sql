-- The rows of an updates template: every open recommendation (only $lead's when given), its
-- current status and RAG, and the next meeting on or after $today of a body that follows it:
-- its own body, or a body it has been reported to (the earliest; its own body's on the same
-- day). A recommendation with no meeting ahead has no meeting_date, and body is its own:
-- the template leaves it out and says why in its 'Read me' sheet. A proposed closure carries
-- its evidence, so the row can be sent back as it is.
with open_recommendations as (
    select rec_id, report_code, number, body, status, rag, lead, title, last_meeting_id
    from status_as_at($today)
    where is_open
        and ($lead is null or lead = $lead)
),
ahead as (
    select body, min(held_on) as held_on
    from meetings
    where held_on >= $today
    group by body
),
following as (
    select rec_id, body, true as owns
    from open_recommendations
    union all
    select t.rec_id, t.body, false
    from reported_to as t
    semi join open_recommendations as o
        using (rec_id)
),
next_meeting as (
    select f.rec_id,
        arg_min(a.body, (a.held_on, not f.owns)) as body,
        min(a.held_on) as held_on
    from following as f
    join ahead as a
        using (body)
    group by f.rec_id
)
select
    s.rec_id as recommendation_id,
    n.held_on as meeting_date,
    coalesce(n.body, s.body) as body,
    s.status,
    s.rag,
    s.lead as reported_by,
    s.title,
    case when s.status = 'Closure proposed' then e.evidence end as evidence
from open_recommendations as s
left join next_meeting as n
    using (rec_id)
left join effective_updates as e
    on e.rec_id = s.rec_id
    and e.meeting_id = s.last_meeting_id
order by s.report_code, s.number;
