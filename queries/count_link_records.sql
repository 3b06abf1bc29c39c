-- How many link records there are (before and after an import: how many it wrote).
select count(*) as records
from measure_link_records;
