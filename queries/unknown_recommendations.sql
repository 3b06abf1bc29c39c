-- Which of the recommendation ids $rec_ids no recommendation has, in the order given.
select rec_id
from unnest($rec_ids::varchar[]) with ordinality as given(rec_id, position)
anti join recommendations
    using (rec_id)
order by position;
