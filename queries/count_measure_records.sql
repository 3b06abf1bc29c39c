-- How many measure, area and figure records there are (before and after an import: how
-- many it wrote).
select
    (select count(*) from measure_records)
    + (select count(*) from area_records)
    + (select count(*) from measure_values) as records;
