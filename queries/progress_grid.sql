-- Each recommendation the filters select, at each meeting of the Board (or of the body
-- filtered on) held on or before $as_at: whether it was reported on there, and then that
-- update's status, RAG and narrative; else the status and RAG it stood at (null before its
-- first report), and when its report was published. One row per recommendation and
-- meeting (a recommendation with no meeting yet: one row, its meeting null), for $limit
-- recommendations (all when null) from the one after $offset, in report and number order;
-- total_rows: how many recommendations the filters select in all.
with board_meetings as (
    select meeting_id, held_on, title
    from meetings
    where body = coalesce($body, 'CJB')
        and held_on <= $as_at
),
chosen as materialized (
    select r.rec_id, r.report_code, r.number, r.title
    from recommendations as r
    where matches_filters(r.rec_id, r.report_code, r.body, r.lead,
        $report, $body, $lead, $addressee)
),
shown as materialized (
    select *, (select count(*) from chosen) as total_rows
    from chosen
    order by report_code, number
    limit $limit
    offset $offset
),
-- The update that stands for each shown recommendation at each meeting: the Board's
-- decision if it made one there, else the latest report (as effective_updates, for the
-- rows shown only).
reported as (
    select rec_id, meeting_id, update_id
    from (
        select u.rec_id, u.meeting_id, u.update_id,
            row_number() over (partition by u.rec_id, u.meeting_id
                order by u.kind = 'decision' desc, u.update_id desc) as newest
        from updates as u
        semi join live_batches as b
            on b.batch_id = u.batch_id
        semi join shown as s
            on s.rec_id = u.rec_id
        semi join board_meetings as m
            on m.meeting_id = u.meeting_id
    )
    where newest = 1
),
placed as (
    select s.rec_id, s.report_code, s.number, s.title, s.total_rows,
        m.meeting_id, m.held_on, m.title as meeting_title
    from shown as s
    left join board_meetings as m
        on true
)
select
    p.rec_id,
    p.title,
    p.meeting_id,
    p.held_on,
    p.meeting_title,
    coalesce(u.status, q.status) as status,
    coalesce(u.rag, q.rag) as rag,
    r.update_id is not null as reported,
    u.narrative,
    p.report_code,
    o.title as report_title,
    o.published_on,
    p.number,
    p.total_rows
from placed as p
left join reports as o
    on o.report_code = p.report_code
left join positions as q
    on q.rec_id = p.rec_id
    and q.held_on <= p.held_on
    and p.held_on < q.until
left join reported as r
    on r.rec_id = p.rec_id
    and r.meeting_id = p.meeting_id
left join updates as u
    on u.update_id = r.update_id
order by p.report_code, p.number, p.held_on;
