-- What an updates template would hold: how many open recommendations (only $lead's when
-- given), and the meeting it is for: the earliest meeting on or after $today of a body that
-- follows one of them (owns it, or has had it reported to it; see upload_template_rows.sql).
with open_recommendations as (
    select rec_id, body
    from status_as_at($today)
    where is_open
        and ($lead is null or lead = $lead)
),
following as (
    select rec_id, body
    from open_recommendations
    union
    select t.rec_id, t.body
    from reported_to as t
    semi join open_recommendations as o
        using (rec_id)
)
select
    (select count(*) from open_recommendations) as recommendations,
    (
        select min(m.held_on)
        from meetings as m
        semi join following as f
            on f.body = m.body
        where m.held_on >= $today
    ) as meeting_date;
