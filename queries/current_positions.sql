-- The status and RAG today of the recommendations in $rec_ids: what an upload preview
-- compares against.
select
    rec_id,
    status,
    rag
from current_status
where rec_id in (select unnest(cast($rec_ids as varchar[])));
