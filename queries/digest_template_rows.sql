-- The rows of the updates template a reminder digest attaches: the recommendations $rec_ids,
-- each for meeting $meeting_id (its date and body), with the current status and RAG as at
-- $today and the lead as reporter, and a proposed closure's evidence: the columns of
-- upload_template_rows.sql.
select
    s.rec_id as recommendation_id,
    m.held_on as meeting_date,
    m.body,
    s.status,
    s.rag,
    s.lead as reported_by,
    s.title,
    case when s.status = 'Closure proposed' then e.evidence end as evidence
from status_as_at($today) as s
cross join (
    select held_on, body
    from meetings
    where meeting_id = $meeting_id
) as m
left join effective_updates as e
    on e.rec_id = s.rec_id
    and e.meeting_id = s.last_meeting_id
where list_contains($rec_ids, s.rec_id)
order by s.report_code, s.number;
