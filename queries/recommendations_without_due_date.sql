-- Open recommendations with no due date as at $as_at: a data-quality gap, not "on time".
select
    s.rec_id,
    s.title,
    s.lead,
    s.body,
    s.status,
    s.rag
from status_as_at($as_at) as s
where s.is_open
    and s.due is null
    and ($report is null or s.report_code = $report)
    and ($body is null or s.body = $body)
    and ($lead is null or s.lead = $lead)
    and ($addressee is null or s.rec_id in (
        select rec_id
        from recommendation_addressees
        where addressee = $addressee))
order by s.report_code, s.number;
