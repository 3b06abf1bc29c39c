-- The words a measures file may use for a unit, for which way is better and for the kind of
-- area ($kinds: 'unit', 'better' or 'area_type'; each $keys spelling read as the word in
-- $words at the same place: cjb_tracker.measures.SPELLINGS), as the temp table
-- check_measures.sql reads.
create or replace temp table measure_spellings as
select
    unnest($kinds::varchar[]) as kind,
    unnest($keys::varchar[]) as key,
    unnest($words::varchar[]) as word;
