-- Every recommendation's status and RAG today: what an upload preview compares against.
select
    rec_id,
    status,
    rag
from current_status;
