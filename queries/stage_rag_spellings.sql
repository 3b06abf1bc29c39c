-- The spellings of a RAG an upload may use ($keys, each read as the word in $words at the
-- same place: vocab.rag_spellings), as the temp table check_updates.sql reads.
create or replace temp table rag_spellings as
select
    unnest($keys::varchar[]) as key,
    unnest($words::varchar[]) as word;
