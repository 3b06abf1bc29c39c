-- Read every staged meetings row: clean values, look up the body, any meeting held, and the
-- meeting a row moves (replaces), if it names one.
create or replace temp table checked as
select
    s.row_number,
    norm_id(s.body) as body,
    s.body as raw_body,
    s."date" as raw_date,
    parse_uk_date(s."date") as held_on,
    -- (a moved meeting keeps its title unless the row gives one)
    coalesce(clean_text(s.title), r.title, b.name || ', ' || uk_date(parse_uk_date(s."date")))
        as title,
    norm_id(s.body) || ':' || strftime(parse_uk_date(s."date"), '%Y-%m-%d') as meeting_id,
    b.body is not null as body_known,
    m.meeting_id is not null as already_held,
    clean_text(s.replaces) as raw_replaces,
    parse_uk_date(clean_text(s.replaces)) as replaces_on,
    norm_id(s.body) || ':' || strftime(parse_uk_date(clean_text(s.replaces)), '%Y-%m-%d')
        as replaces,
    r.meeting_id is not null as replaced_known,
    exists (
        select 1
        from updates as u
        semi join live_batches as l
            on l.batch_id = u.batch_id
        where u.meeting_id = r.meeting_id
    ) as replaced_has_updates
from stage as s
left join bodies as b
    on b.body = norm_id(s.body)
left join meetings as m
    on m.body = norm_id(s.body)
    and m.held_on = parse_uk_date(s."date")
left join meetings as r
    on r.body = norm_id(s.body)
    and r.held_on = parse_uk_date(clean_text(s.replaces))
where not s.is_blank;
