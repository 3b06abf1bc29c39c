-- Read every staged updates row: clean each value once, then look up what it names.
-- The cells with few distinct values in a file (status, RAG, body, meeting date) are read
-- through a lookup of their distinct values, each cleaned and matched once: a million rows
-- hold a dozen statuses and twenty meeting dates.
create or replace temp table checked as
with status_seen as (
    select raw_status, st.word as status
    from (select distinct status as raw_status from stage) as d
    left join status_spellings as st
        on st.key = spelling_key(d.raw_status)
),
rag_seen as (
    select raw_rag, rg.word as rag
    from (select distinct rag as raw_rag from stage) as d
    left join rag_spellings as rg
        on rg.key = spelling_key(d.raw_rag)
),
meeting_seen as (
    select
        raw_meeting_date,
        raw_body,
        parse_uk_date(raw_meeting_date) as meeting_date,
        coalesce(norm_id(raw_body), 'CJB') as body
    from (select distinct meeting_date as raw_meeting_date, body as raw_body from stage)
),
cleaned as (
    select
        row_number,
        recommendation_id as raw_rec_id,
        norm_id(recommendation_id) as rec_id,
        meeting_date as raw_meeting_date,
        body as raw_body,
        status as raw_status,
        rag as raw_rag,
        -- What a lead writes is kept exactly as written (a leading tab or CR included:
        -- BAD-INPUTS.md item 20); only a cell of nothing but spaces counts as empty.
        if(clean_text("update") is null, null, "update") as narrative,
        if(clean_text(next_steps) is null, null, next_steps) as next_steps,
        revised_due_date as raw_revised_due,
        parse_uk_date(revised_due_date) as revised_due,
        if(clean_text(revision_reason) is null, null, revision_reason) as revision_reason,
        if(clean_text(evidence) is null, null, evidence) as evidence,
        coalesce(clean_text(reported_by), $imported_by) as reported_by
    from stage
    where not is_blank
)
select
    c.* exclude (raw_body),
    ms.meeting_date,
    ms.body,
    ss.status,
    rs.rag,
    r.rec_id is not null as rec_known,
    b.body is not null as body_known,
    m.meeting_id
from cleaned as c
left join status_seen as ss
    on ss.raw_status is not distinct from c.raw_status
left join rag_seen as rs
    on rs.raw_rag is not distinct from c.raw_rag
left join meeting_seen as ms
    on ms.raw_meeting_date is not distinct from c.raw_meeting_date
    and ms.raw_body is not distinct from c.raw_body
left join (select rec_id from recommendations) as r
    on r.rec_id = c.rec_id
left join bodies as b
    on b.body = ms.body
left join meetings as m
    on m.body = ms.body
    and m.held_on = ms.meeting_date;
