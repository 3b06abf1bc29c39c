-- The overview's headline numbers as at $as_at, for the recommendations the filters select.
select
    count(*) as recommendations,
    count(*) filter (where s.is_open) as open,
    count(*) filter (where s.status = 'Complete') as complete,
    count(*) filter (where s.overdue) as overdue,
    count(*) filter (where s.status = 'Awaiting national action') as awaiting_national_action,
    count(*) filter (where s.status = 'Closure proposed') as closure_proposed,
    count(*) filter (where s.is_open and s.due is null) as no_due_date
from status_as_at($as_at) as s
where ($report is null or s.report_code = $report)
    and ($body is null or s.body = $body)
    and ($lead is null or s.lead = $lead)
    and ($addressee is null or s.rec_id in (
        select rec_id
        from recommendation_addressees
        where addressee = $addressee));
