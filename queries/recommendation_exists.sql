-- The recommendation $rec_id, when it is held (no row when not).
select rec_id
from recommendations
where rec_id = $rec_id;
