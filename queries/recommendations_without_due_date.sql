-- Open recommendations with no due date as at $as_at: a data-quality gap, not "on time".
-- $limit rows (all when null) from row $offset + 1, each with total_rows: how many in all.
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
limit $limit
offset $offset;
