-- The Board and its sub-groups, from data/seed/bodies.csv.
insert into bodies (body, name)
select body, name
from read_csv($path, header = true, all_varchar = true);
