-- How many live import batches hold illustrative (demo) data.
select count(*) as batches
from import_batches
where status = 'committed'
    and illustrative;
