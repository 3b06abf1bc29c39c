-- Record the checked recommendations as batch $batch_id: new reports first, then one new
-- version of each recommendation (what a row leaves empty keeps its held value), then
-- the addressees of each new version (copied from the held version when none are given).
insert into report_records (record_id, report_code, title, publisher, published_on, link, batch_id)
select nextval('record_seq'), report_code, title, publisher, published_on, link, $batch_id
from (
    select report_code,
        arg_min(report_title, row_number) filter (where report_title is not null) as title,
        arg_min(report_publisher, row_number) filter (where report_publisher is not null) as publisher,
        arg_min(report_published, row_number) filter (where report_published is not null) as published_on,
        arg_min(report_link, row_number) filter (where report_link is not null) as link
    from checked
    where not report_held
    group by report_code
);

create or replace temp table new_versions as
select nextval('record_seq') as record_id, c.*
from checked as c
order by c.row_number;

insert into recommendation_records (
    record_id, rec_id, report_code, number, title, text, timescale, original_due, lead, body,
    initial_response, batch_id
)
select
    n.record_id,
    n.rec_id,
    n.report_code,
    n.number,
    coalesce(n.title, h.title),
    coalesce(n.text, h.text),
    coalesce(n.timescale, h.timescale),
    coalesce(n.due_date, h.original_due),
    coalesce(n.lead, h.lead),
    coalesce(n.body, h.body, 'CJB'),
    coalesce(n.initial_response, h.initial_response),
    $batch_id
from new_versions as n
left join recommendations as h
    on h.rec_id = n.rec_id;

insert into addressee_records (record_id, position, addressee, scope)
select n.record_id, a.position, a.addressee, a.scope
from new_versions as n
join checked_addressees as a using (row_number)
union all
select n.record_id, a.position, a.addressee, a.scope
from new_versions as n
join addressee_records as a
    on a.record_id = n.held_record_id
where n.addressees is null;
