-- Read every staged updates row: clean values, look up what they name.
create or replace temp table checked as
select
    s.row_number,
    s.recommendation_id as raw_rec_id,
    norm_id(s.recommendation_id) as rec_id,
    s.meeting_date as raw_meeting_date,
    parse_uk_date(s.meeting_date) as meeting_date,
    coalesce(norm_id(s.body), 'CJB') as body,
    s.status as raw_status,
    st.word as status,
    s.rag as raw_rag,
    rg.word as rag,
    clean_text(s."update") as narrative,
    clean_text(s.next_steps) as next_steps,
    s.revised_due_date as raw_revised_due,
    parse_uk_date(s.revised_due_date) as revised_due,
    clean_text(s.revision_reason) as revision_reason,
    clean_text(s.evidence) as evidence,
    coalesce(clean_text(s.reported_by), $imported_by) as reported_by,
    r.rec_id is not null as rec_known,
    b.body is not null as body_known,
    m.meeting_id
from stage as s
left join status_spellings as st
    on st.key = spelling_key(s.status)
left join rag_spellings as rg
    on rg.key = spelling_key(s.rag)
left join recommendations as r
    on r.rec_id = norm_id(s.recommendation_id)
left join bodies as b
    on b.body = coalesce(norm_id(s.body), 'CJB')
left join meetings as m
    on m.body = coalesce(norm_id(s.body), 'CJB')
    and m.held_on = parse_uk_date(s.meeting_date)
where not s.is_blank;
