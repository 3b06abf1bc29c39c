-- Every recommendation the filters select, with its position as at $as_at. $search matches
-- the id, title, text, lead or an addressee, ignoring case. The first $limit rows (all when
-- null), each with total_rows: how many there are in all.
with addressed as (
    select rec_id, string_agg(addressee, '; ' order by position) as addressees
    from recommendation_addressees
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
    count(*) over () as total_rows
from status_as_at($as_at) as s
join recommendations as r
    using (rec_id)
left join addressed as a
    using (rec_id)
where matches_filters(s.rec_id, s.report_code, s.body, s.lead,
        $report, $body, $lead, $addressee)
    and ($search is null
        or contains(lower(concat_ws(' ', s.rec_id, s.title, r.text, s.lead, a.addressees)),
            lower(trim($search))))
order by s.report_code, s.number
limit $limit;
