-- The id a batch's first new update takes: the next after the highest held. (Unique only
-- while one batch is written at a time: see cjb_tracker/batches.py.)
select coalesce(max(update_id), 0) + 1 as update_id
from updates;
