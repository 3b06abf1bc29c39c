-- Open recommendations with no due date as at $as_at: a data-quality gap, not "on time".
-- The first $limit rows (all when null), each with total_rows: how many there are in all.
select
    s.rec_id,
    s.title,
    s.lead,
    s.body,
    s.status,
    s.rag,
    count(*) over () as total_rows
from status_as_at($as_at) as s
where s.is_open
    and s.due is null
    and matches_filters(s.rec_id, s.report_code, s.body, s.lead,
        $report, $body, $lead, $addressee)
order by s.report_code, s.number
limit $limit;
