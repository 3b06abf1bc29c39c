-- The status of the selected recommendations as at each meeting of the Board (or of the
-- body filtered on) held on or before $as_at: how the picture moved meeting by meeting.
-- A recommendation counts at a meeting once its report was published or it was reported on.
with board_meetings as (
    select meeting_id, held_on, title
    from meetings
    where body = coalesce($body, 'CJB')
        and held_on <= $as_at
),
chosen as (
    select r.rec_id, p.published_on
    from recommendations as r
    left join reports as p
        on p.report_code = r.report_code
    where matches_filters(r.rec_id, r.report_code, r.body, r.lead,
        $report, $body, $lead, $addressee)
),
-- Each chosen recommendation at each meeting, placed by its latest update held by then
-- (an ASOF join: one sorted pass, where a join on held_on <= would compare every pair).
placed as (
    select
        m.meeting_id,
        coalesce(u.status, 'Not started') as status
    from board_meetings as m
    cross join chosen as c
    asof left join effective_updates as u
        on u.rec_id = c.rec_id
        and u.held_on <= m.held_on
    where c.published_on is null
        or c.published_on <= m.held_on
        or u.update_id is not null
)
select
    m.meeting_id,
    m.held_on,
    m.title,
    p.status,
    count(*) as recommendations
from placed as p
join board_meetings as m
    using (meeting_id)
join statuses as st
    on st.status = p.status
group by m.meeting_id, m.held_on, m.title, p.status, st.sort_order
order by m.held_on, st.sort_order;
