-- Every update in force, up to $as_at, for the recommendations that meeting $meeting_id's
-- body follows: the board pack's sheet of all updates, by recommendation then meeting.
with followed as (
    select rec_id
    from recommendations_followed_at($meeting_id)
)
select
    u.rec_id,
    u.held_on,
    u.meeting_id,
    u.meeting_body as body,
    u.status,
    u.rag,
    u.narrative,
    u.next_steps,
    u.revised_due,
    u.revision_reason,
    u.evidence,
    u.reported_by,
    u.recorded_at
from effective_updates as u
join recommendations as r
    using (rec_id)
where u.held_on <= $as_at
    and u.rec_id in (
        select rec_id
        from followed)
order by r.report_code, r.number, u.held_on, u.update_id;
