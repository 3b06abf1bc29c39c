-- Every recommendation the filters select, with its position as at $as_at. $search matches
-- the id, title, text, lead or an addressee, ignoring case. $limit rows (all when null)
-- from row $offset + 1, each with total_rows: how many there are in all.
-- (How many in all: a count of the materialized rows, not count(*) over (), whose one
-- window gathers every row before the top-n: a fifth slower at national scale.)
with listed as (
    select s.*, r.text
    from status_as_at($as_at) as s
    join recommendations as r
        using (rec_id)
    where matches_filters(s.rec_id, s.report_code, s.body, s.lead,
        $report, $body, $lead, $addressee)
),
searched as materialized (
    select l.*
    from listed as l
    where $search is null
    union all
    select l.*
    from listed as l
    left join (
        select rec_id, string_agg(addressee, '; ' order by position) as addressees
        from recommendation_addressees
        group by rec_id
    ) as a
        using (rec_id)
    where contains(lower(concat_ws(' ', l.rec_id, l.title, l.text, l.lead, a.addressees)),
        lower(trim($search)))
),
shown as (
    select *, (select count(*) from searched) as total_rows
    from searched
    order by report_code, number
    limit $limit
    offset $offset
),
-- The addressees of the rows shown only.
addressed as (
    select rec_id, string_agg(addressee, '; ' order by position) as addressees
    from recommendation_addressees
    semi join shown
        using (rec_id)
    group by rec_id
)
select
    s.rec_id,
    s.title,
    s.status,
    s.rag,
    s.due,
    s.days_overdue,
    s.lead,
    a.addressees,
    s.body,
    s.overdue,
    s.report_code,
    s.number,
    s.total_rows
from shown as s
left join addressed as a
    using (rec_id)
order by s.report_code, s.number;
