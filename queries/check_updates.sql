-- Every staged updates row, checked: each value cleaned once, then looked up, as the temp
-- view `checked`. A view, not a table: a good file's rows are read from the stage once, to
-- be written (insert_updates.sql), after one read of the narrow columns that finds whether
-- anything is wrong (any_problem_updates.sql). Only a file with a problem has `checked`
-- kept as a table (keep_checked_updates.sql) for the detailed problems_updates*.sql.
--
-- The uploader's name, for rows that leave reported_by empty (a view takes no parameters).
create or replace temp table checked_by as
select $imported_by::varchar as name;

-- The cells with few distinct values in a file (status with RAG, meeting date with body)
-- are read through a lookup of their distinct values, each cleaned and matched once: a
-- million rows hold a dozen status and RAG pairs and twenty meetings. The lookups are
-- small tables, made once, so that each read of the view only joins them.
create or replace temp table checked_spellings as
select d.raw_status, d.raw_rag, st.word as status, rg.word as rag
from (select distinct status as raw_status, rag as raw_rag from stage) as d
left join status_spellings as st
    on st.key = spelling_key(d.raw_status)
left join rag_spellings as rg
    on rg.key = spelling_key(d.raw_rag);

create or replace temp table checked_meetings as
select
    d.raw_meeting_date,
    d.raw_body,
    d.meeting_date,
    d.body,
    b.body is not null as body_known,
    m.meeting_id
from (
    select
        raw_meeting_date,
        raw_body,
        parse_uk_date(raw_meeting_date) as meeting_date,
        coalesce(norm_id(raw_body), 'CJB') as body
    from (select distinct meeting_date as raw_meeting_date, body as raw_body from stage)
) as d
left join bodies as b
    on b.body = d.body
left join meetings as m
    on m.body = d.body
    and m.held_on = d.meeting_date;

create or replace temp view checked as
with cleaned as (
    select
        row_number,
        recommendation_id as raw_rec_id,
        norm_id(recommendation_id) as rec_id,
        meeting_date as raw_meeting_date,
        body as raw_body,
        status as raw_status,
        rag as raw_rag,
        -- What a lead writes is kept exactly as written (a leading tab or CR included:
        -- BAD-INPUTS.md item 20); only a cell of nothing but spaces counts as empty. (Only
        -- a cell that starts with a space can be all spaces: clean_text looks at no other.)
        if(is_space_code(ord("update")) and clean_text("update") is null, null, "update")
            as narrative,
        if(is_space_code(ord(next_steps)) and clean_text(next_steps) is null, null, next_steps)
            as next_steps,
        revised_due_date as raw_revised_due,
        parse_uk_date(revised_due_date) as revised_due,
        if(is_space_code(ord(revision_reason)) and clean_text(revision_reason) is null,
            null, revision_reason) as revision_reason,
        if(is_space_code(ord(evidence)) and clean_text(evidence) is null, null, evidence)
            as evidence,
        coalesce(clean_text(reported_by), (select name from checked_by)) as reported_by
    from stage
    where not is_blank
)
select
    c.* exclude (raw_body),
    ms.meeting_date,
    ms.body,
    sp.status,
    sp.rag,
    r.rec_id is not null as rec_known,
    ms.body_known,
    ms.meeting_id
from cleaned as c
left join checked_spellings as sp
    on sp.raw_status is not distinct from c.raw_status
    and sp.raw_rag is not distinct from c.raw_rag
left join checked_meetings as ms
    on ms.raw_meeting_date is not distinct from c.raw_meeting_date
    and ms.raw_body is not distinct from c.raw_body
left join (select rec_id from recommendations) as r
    on r.rec_id = c.rec_id;
