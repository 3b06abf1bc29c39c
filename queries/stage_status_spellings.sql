-- The spellings of a status an upload may use ($keys, each read as the word in $words at
-- the same place: vocab.status_spellings), as the temp table check_updates.sql reads.
create or replace temp table status_spellings as
select
    unnest($keys::varchar[]) as key,
    unnest($words::varchar[]) as word;
