-- Who owes an update for meeting $meeting_id: the open recommendations its body follows
-- (owns, or has had reported to it) with no update for this meeting, by lead.
with this_meeting as (
    select meeting_id, body, held_on
    from meetings
    where meeting_id = $meeting_id
),
followed as (
    select rec_id
    from recommendations_followed_at($meeting_id)
)
select
    coalesce(s.lead, 'No lead set') as lead,
    s.rec_id,
    s.title,
    s.status,
    s.rag,
    s.last_update_on,
    s.due
from status_as_at((select held_on from this_meeting)) as s
semi join followed
    using (rec_id)
where s.is_open
    and s.rec_id not in (
        select rec_id
        from effective_updates
        where meeting_id = $meeting_id)
    and matches_filters(s.rec_id, s.report_code, s.body, s.lead,
        $report, $body, $lead, $addressee)
order by s.lead nulls last, s.report_code, s.number;
