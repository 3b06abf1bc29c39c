-- The status of the selected recommendations as at each meeting of the Board (or of the
-- body filtered on) held on or before $as_at: how the picture moved meeting by meeting.
-- A recommendation counts at a meeting once its report was published or it was reported on.
-- (Positions are counted by their dates first, then placed at the meetings those dates span:
-- a few hundred groups where pairing every recommendation with every meeting makes millions.)
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
-- How many chosen recommendations held each status over each span of dates.
spans as (
    select p.held_on, p.until, p.status, count(*) as recommendations
    from positions as p
    semi join chosen as c
        using (rec_id)
    group by p.held_on, p.until, p.status
),
-- How many chosen recommendations were published and first reported on at which dates.
starts as (
    select c.published_on, f.held_on as first_reported_on, count(*) as recommendations
    from chosen as c
    left join positions as f
        on f.rec_id = c.rec_id
        and f.is_first
    group by c.published_on, f.held_on
),
placed as (
    select m.meeting_id, s.status, sum(s.recommendations) as recommendations
    from board_meetings as m
    join spans as s
        on s.held_on <= m.held_on
        and m.held_on < s.until
    group by m.meeting_id, s.status
    union all
    -- Published by the meeting and not reported on yet: Not started.
    select m.meeting_id, 'Not started', sum(s.recommendations)
    from board_meetings as m
    join starts as s
        on (s.published_on is null or s.published_on <= m.held_on)
        and (s.first_reported_on is null or s.first_reported_on > m.held_on)
    group by m.meeting_id
)
-- (A recommendation reported as Not started is in both parts: one row a status.)
select
    m.meeting_id,
    m.held_on,
    m.title,
    p.status,
    cast(sum(p.recommendations) as bigint) as recommendations
from placed as p
join board_meetings as m
    using (meeting_id)
join statuses as st
    on st.status = p.status
group by m.meeting_id, m.held_on, m.title, p.status, st.sort_order
order by m.held_on, st.sort_order;
