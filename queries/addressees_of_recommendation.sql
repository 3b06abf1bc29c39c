-- Who one recommendation is addressed to, in the order the report names them.
select
    addressee,
    scope
from recommendation_addressees
where rec_id = $rec_id
order by position;
