-- Read every staged updates row: clean each value once, then look up what it names.
create or replace temp table checked as
with cleaned as (
    select
        row_number,
        recommendation_id as raw_rec_id,
        norm_id(recommendation_id) as rec_id,
        meeting_date as raw_meeting_date,
        parse_uk_date(meeting_date) as meeting_date,
        coalesce(norm_id(body), 'CJB') as body,
        status as raw_status,
        spelling_key(status) as status_key,
        rag as raw_rag,
        spelling_key(rag) as rag_key,
        clean_text("update") as narrative,
        clean_text(next_steps) as next_steps,
        revised_due_date as raw_revised_due,
        parse_uk_date(revised_due_date) as revised_due,
        clean_text(revision_reason) as revision_reason,
        clean_text(evidence) as evidence,
        coalesce(clean_text(reported_by), $imported_by) as reported_by
    from stage
    where not is_blank
)
select
    c.* exclude (status_key, rag_key),
    st.word as status,
    rg.word as rag,
    r.rec_id is not null as rec_known,
    b.body is not null as body_known,
    m.meeting_id
from cleaned as c
left join status_spellings as st
    on st.key = c.status_key
left join rag_spellings as rg
    on rg.key = c.rag_key
left join (select rec_id from recommendations) as r
    on r.rec_id = c.rec_id
left join bodies as b
    on b.body = c.body
left join meetings as m
    on m.body = c.body
    and m.held_on = c.meeting_date;
