-- Delivery confidence of the open recommendations as at $as_at: Red, Amber, Green, or none given.
with open_items as (
    select coalesce(s.rag, 'No RAG given') as rag
    from status_as_at($as_at) as s
    where s.is_open
        and ($report is null or s.report_code = $report)
        and ($body is null or s.body = $body)
        and ($lead is null or s.lead = $lead)
        and ($addressee is null or s.rec_id in (
            select rec_id
            from recommendation_addressees
            where addressee = $addressee))
)
select
    rag,
    count(*) as recommendations
from open_items
group by rag
order by list_position(['Red', 'Amber', 'Green', 'No RAG given'], rag);
