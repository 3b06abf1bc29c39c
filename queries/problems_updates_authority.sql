-- What the uploader may not report, as (row, column, code, message, is_warning):
-- a closure proposed without evidence (anyone); an open status for a recommendation closed
-- at or before the row's meeting (anyone: only a Board decision reopens it, with a
-- reason: decisions.reopen); and, when a lead uploads ($is_lead), rows for recommendations
-- they do not lead ($lead_names, $rec_ids) and closures they may not make themselves (the
-- Board decides: two keys).
select row_number as row, 'evidence' as col, 'constraint-error' as code,
    format('{} is proposed for closure without evidence. Give the evidence that it is done '
        || '(a document, audit or minute) in the evidence column.', c.rec_id) as message,
    false as is_warning
from checked as c
where c.status = 'Closure proposed'
    and c.evidence is null
union all
select c.row_number, 'recommendation_id', 'permission-error',
    format('You do not lead {}{}. Remove this row, or ask its lead or the chair to report it.',
        c.rec_id, coalesce(' (its lead is ' || r.lead || ')', '')),
    false
from checked as c
join recommendations as r
    using (rec_id)
where $is_lead
    and not (list_contains(cast($lead_names as varchar[]), r.lead)
        or list_contains(cast($rec_ids as varchar[]), c.rec_id))
union all
select c.row_number, 'status', 'permission-error',
    format('A lead cannot mark {} {}: set the status to ''Closure proposed'' with the evidence, '
        || 'and the Board will decide whether to accept the closure.', c.rec_id, c.status),
    false
from checked as c
where $is_lead
    and c.status in ('Complete', 'Superseded')
union all
select c.row_number, 'status', 'permission-error',
    format('{} was closed ({}) at the meeting on {}; an update cannot open it again. Only the '
        || 'chair reopens a closed recommendation, with the reason, as a Board decision '
        || '(Closure decisions page, or cjb-tracker reopen). Remove this row.',
        c.rec_id, s.status, uk_date(m.held_on)),
    false
from checked as c
join current_status as s
    using (rec_id)
join meetings as m
    on m.meeting_id = s.last_meeting_id
where s.status in ('Complete', 'Superseded')
    and c.status in ('Not started', 'In progress', 'Awaiting national action', 'Closure proposed')
    and c.meeting_date >= m.held_on;
