-- The board pack's recommendations for meeting $meeting_id: those its body follows (owns,
-- or has had reported to it) whose report was published by $as_at or that have been
-- reported on, each with its position as at $as_at, its addressees and its latest update.
with followed as (
    select rec_id
    from recommendations_followed_at($meeting_id)
),
addressed as (
    select rec_id, string_agg(addressee || ' (' || scope || ')', '; ' order by position)
        as addressees
    from recommendation_addressees
    group by rec_id
)
select
    s.rec_id,
    s.report_code,
    p.title as report_title,
    p.published_on as report_published_on,
    p.illustrative as report_illustrative,
    s.number,
    s.title,
    r.text,
    a.addressees,
    s.lead,
    s.body,
    s.status,
    s.rag,
    s.is_open,
    r.timescale,
    s.original_due,
    s.due,
    s.revisions,
    s.overdue,
    s.days_overdue,
    s.last_update_on,
    u.meeting_id as last_meeting_id,
    u.narrative as latest_update,
    u.next_steps,
    u.evidence,
    u.revised_due,
    u.revision_reason,
    u.reported_by
from status_as_at($as_at) as s
join recommendations as r
    using (rec_id)
left join reports as p
    on p.report_code = s.report_code
left join addressed as a
    using (rec_id)
left join effective_updates as u
    on u.rec_id = s.rec_id
    and u.meeting_id = s.last_meeting_id
where s.rec_id in (
        select rec_id
        from followed)
    and (p.published_on is null
        or p.published_on <= $as_at
        or s.last_update_on is not null)
order by s.report_code, s.number;
