-- The rows of an updates template: every open recommendation (only $lead's when given), its
-- current status and RAG, and the date of its body's next meeting on or after $today.
with next_meetings as (
    select body, min(held_on) as held_on
    from meetings
    where held_on >= $today
    group by body
)
select
    s.rec_id as recommendation_id,
    m.held_on as meeting_date,
    s.body,
    s.status,
    s.rag,
    s.lead as reported_by,
    s.title
from status_as_at($today) as s
left join next_meetings as m
    using (body)
where s.is_open
    and ($lead is null or s.lead = $lead)
order by s.report_code, s.number;
