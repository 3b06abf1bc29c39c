-- Every import, newest first: who, when, what file, how many rows, and what became of it.
-- $limit rows (all when null) from row $offset + 1, each with total_rows: how many in all.
with batches as materialized (
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
)
select
    *,
    (select count(*) from batches) as total_rows
from batches
order by batch_id desc
limit $limit
offset $offset;
