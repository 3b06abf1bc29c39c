-- Read every staged meetings row: clean values, look up the body and any meeting held.
create or replace temp table checked as
select
    s.row_number,
    norm_id(s.body) as body,
    s.body as raw_body,
    s."date" as raw_date,
    parse_uk_date(s."date") as held_on,
    coalesce(clean_text(s.title), b.name || ', ' || uk_date(parse_uk_date(s."date"))) as title,
    norm_id(s.body) || ':' || strftime(parse_uk_date(s."date"), '%Y-%m-%d') as meeting_id,
    b.body is not null as body_known,
    m.meeting_id is not null as already_held
from stage as s
left join bodies as b
    on b.body = norm_id(s.body)
left join meetings as m
    on m.body = norm_id(s.body)
    and m.held_on = parse_uk_date(s."date")
where not s.is_blank;
