-- The first 500 checked rows of an upload (the temp table `checked`), in file order: the
-- preview of what would be written.
select *
from checked
order by row_number
limit 500;
