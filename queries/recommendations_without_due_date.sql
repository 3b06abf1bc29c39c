-- Open recommendations with no due date as at $as_at: a data-quality gap, not "on time".
-- $limit rows (all when null) from row $offset + 1, each with total_rows: how many in all.
-- (How many in all: a count of the materialized rows, not count(*) over (), whose one
-- window gathers every row before the top-n: a fifth slower at national scale.)
with undated as materialized (
    select s.rec_id, s.title, s.lead, s.body, s.status, s.rag, s.report_code, s.number
    from status_as_at($as_at) as s
    where s.is_open
        and s.due is null
        and matches_filters(s.rec_id, s.report_code, s.body, s.lead,
            $report, $body, $lead, $addressee)
)
select
    rec_id,
    title,
    lead,
    body,
    status,
    rag,
    (select count(*) from undated) as total_rows
from undated
order by report_code, number
limit $limit
offset $offset;
