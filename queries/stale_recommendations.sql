-- Open recommendations with no update at either of the last two meetings of their body
-- held on or before $as_at.
with ranked_meetings as (
    select meeting_id, body,
        row_number() over (partition by body order by held_on desc) as recency
    from meetings
    where held_on <= $as_at
),
recent_meetings as (
    select meeting_id, body
    from ranked_meetings
    where recency <= 2
)
select
    s.rec_id,
    s.title,
    s.lead,
    s.body,
    s.status,
    s.rag,
    s.last_update_on
from status_as_at($as_at) as s
where s.is_open
    and s.body in (select body from recent_meetings)
    and not exists (
        select 1
        from effective_updates as u
        join recent_meetings as m
            using (meeting_id)
        where u.rec_id = s.rec_id
            and m.body = s.body)
    and matches_filters(s.rec_id, s.report_code, s.body, s.lead,
        $report, $body, $lead, $addressee)
order by s.last_update_on nulls first, s.report_code, s.number;
