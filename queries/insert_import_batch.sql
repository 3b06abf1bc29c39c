-- Record one batch: what was imported (or decided), by whom, and what became of it.
insert into import_batches (
    batch_id, kind, file_name, sha256, imported_by, row_count, inserted, status,
    error_count, warning_count, illustrative
)
values (
    $batch_id, $kind, $file_name, $sha256, $imported_by, $row_count, $inserted, $status,
    $error_count, $warning_count, $illustrative
);
