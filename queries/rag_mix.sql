-- Delivery confidence of the open recommendations as at $as_at: Red, Amber, Green, or none given.
with open_items as (
    select coalesce(s.rag, 'No RAG given') as rag
    from status_as_at($as_at) as s
    where s.is_open
        and matches_filters(s.rec_id, s.report_code, s.body, s.lead,
        $report, $body, $lead, $addressee)
)
select
    rag,
    count(*) as recommendations
from open_items
group by rag
order by list_position(['Red', 'Amber', 'Green', 'No RAG given'], rag);
