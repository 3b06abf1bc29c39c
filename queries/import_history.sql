-- Every import, newest first: who, when, what file, how many rows, and what became of it.
select
    batch_id,
    kind,
    file_name,
    imported_by,
    imported_at,
    row_count,
    inserted,
    status,
    error_count,
    warning_count,
    illustrative,
    reverted_by,
    reverted_at
from import_batches
order by batch_id desc;
