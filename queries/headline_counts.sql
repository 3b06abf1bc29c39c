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
where matches_filters(s.rec_id, s.report_code, s.body, s.lead,
        $report, $body, $lead, $addressee);
