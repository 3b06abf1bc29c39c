-- Read every staged recommendations row: clean values, look up the report, the
-- recommendation as held now (a row for one already held changes only what it gives),
-- and each addressee with its scope.
create or replace temp table checked as
select
    s.row_number,
    norm_id(s.report_code) as report_code,
    s.report_code as raw_report_code,
    clean_text(s.report_title) as report_title,
    clean_text(s.report_publisher) as report_publisher,
    parse_uk_date(s.report_published) as report_published,
    s.report_published as raw_report_published,
    clean_text(s.report_link) as report_link,
    s.number as raw_number,
    try_cast(regexp_replace(trim(s.number), '^[Rr]', '') as integer) as number,
    norm_id(s.report_code) || '-R'
        || try_cast(regexp_replace(trim(s.number), '^[Rr]', '') as integer) as rec_id,
    clean_text(s.title) as title,
    clean_text(s."text") as text,
    clean_text(s.addressees) as addressees,
    clean_text(s.timescale) as timescale,
    s.due_date as raw_due,
    parse_uk_date(s.due_date) as due_date,
    clean_text(s.lead) as lead,
    norm_id(s.body) as body,
    s.body as raw_body,
    clean_text(s.initial_response) as initial_response,
    r.record_id as held_record_id,
    p.report_code is not null as report_held,
    b.body is not null as body_known
from stage as s
left join recommendations as r
    on r.rec_id = norm_id(s.report_code) || '-R'
        || try_cast(regexp_replace(trim(s.number), '^[Rr]', '') as integer)
left join reports as p
    on p.report_code = norm_id(s.report_code)
left join bodies as b
    on b.body = norm_id(s.body)
where not s.is_blank;

-- Each addressee a row names: 'Police forces (local); Home Office (national)'.
create or replace temp table checked_addressees as
with parts as (
    select row_number,
        unnest(string_split(addressees, ';')) as part,
        unnest(range(1, len(string_split(addressees, ';')) + 1)) as position
    from checked
    where addressees is not null
),
named as (
    select row_number, position,
        clean_text(regexp_replace(part, '\(\s*(local|national)\s*\)\s*$', '', 'i')) as addressee,
        lower(nullif(regexp_extract(part, '\(\s*(local|national)\s*\)\s*$', 1, 'i'), '')) as scope_given
    from parts
    where clean_text(part) is not null
),
known as (
    select lower(addressee) as key, any_value(scope) as scope
    from (
        select addressee, scope_given as scope
        from named
        where scope_given is not null
        union all
        select addressee, scope
        from recommendation_addressees
    )
    group by 1
)
select n.row_number, n.position, n.addressee, coalesce(n.scope_given, k.scope) as scope
from named as n
left join known as k
    on k.key = lower(n.addressee);
