-- One recommendation in full, with its position as at $as_at.
select
    r.rec_id,
    r.report_code,
    p.title as report_title,
    r.number,
    r.title,
    r.text,
    r.timescale,
    r.original_due,
    r.lead,
    r.body,
    r.initial_response,
    s.status,
    s.rag,
    s.due,
    s.overdue,
    s.days_overdue,
    s.revisions
from recommendations as r
join status_as_at($as_at) as s
    using (rec_id)
left join reports as p
    on p.report_code = r.report_code
where r.rec_id = $rec_id;
