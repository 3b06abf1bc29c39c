-- Every problem in the checked updates rows: (row, column, code, message, is_warning).
with duplicates as (
    select rec_id, meeting_id, list(row_number order by row_number) as file_rows
    from checked
    where meeting_id is not null
        and rec_id is not null
    group by rec_id, meeting_id
    having count(*) > 1
)
select row_number as row, 'recommendation_id' as col, 'constraint-error' as code,
    'recommendation_id is empty. Give the id, e.g. RAPE1-R4.' as message, false as is_warning
from checked
where rec_id is null
    and not list_contains($missing, 'recommendation_id')
union all
select row_number, 'recommendation_id', 'foreign-key',
    format('No recommendation ''{}'' is held. Check the id against the template.', shown(raw_rec_id)),
    false
from checked
where rec_id is not null
    and not rec_known
union all
select row_number, 'meeting_date', 'constraint-error',
    'meeting_date is empty. Give the date of the meeting this update is for.', false
from checked
where raw_meeting_date is null
    and not list_contains($missing, 'meeting_date')
union all
select row_number, 'meeting_date', 'type-error', date_problem(raw_meeting_date) || '.', false
from checked
where raw_meeting_date is not null
    and meeting_date is null
union all
select row_number, 'body', 'foreign-key',
    format('No body ''{}''. Use one of: {}.', body,
        (select string_agg(body, ', ' order by body) from bodies)),
    false
from checked
where not body_known
union all
select row_number, 'meeting_date', 'foreign-key',
    format('No {} meeting on {} is held. Check the date, or ask the secretariat to add the meeting.',
        body, uk_date(meeting_date)),
    false
from checked
where meeting_date is not null
    and body_known
    and meeting_id is null
union all
select row_number, 'status', 'constraint-error',
    case
        when raw_status is null or trim(raw_status) = '' then 'status is empty. '
        else format('''{}'' is not a status. ', shown(raw_status))
    end || 'Use one of: ' || (select string_agg(status, ', ' order by sort_order) from statuses) || '.',
    false
from checked
where status is null
    and not list_contains($missing, 'status')
union all
select row_number, 'rag', 'constraint-error',
    format('''{}'' is not a RAG rating. Use Red, Amber or Green (or R, A, G), or leave it empty.',
        shown(raw_rag)),
    false
from checked
where rag is null
    and coalesce(trim(raw_rag), '') <> ''
union all
select row_number, 'rag', 'constraint-error',
    format('A RAG rating ({}) is given for a {} recommendation; it will be ignored. Leave rag empty for closed items.',
        rag, status),
    true
from checked
where rag is not null
    and status in ('Complete', 'Superseded')
union all
select row_number, 'revised_due_date', 'type-error', date_problem(raw_revised_due) || '.', false
from checked
where coalesce(trim(raw_revised_due), '') <> ''
    and revised_due is null
union all
select row_number, 'revision_reason', 'constraint-error',
    'A revised due date needs a reason. Say why the date moved in revision_reason.', false
from checked
where revised_due is not null
    and revision_reason is null
union all
select row_number, 'revised_due_date', 'constraint-error',
    format('The revised due date {} is before the meeting it was reported at ({}). Give a date on or after the meeting.',
        uk_date(revised_due), uk_date(meeting_date)),
    false
from checked
where revised_due < meeting_date
union all
select c.row_number, 'recommendation_id', 'duplicate-row',
    format('{} appears more than once for the same meeting: rows {}. Keep one row per recommendation.',
        c.rec_id, array_to_string(d.file_rows, ' and ')),
    false
from checked as c
join duplicates as d
    on d.rec_id = c.rec_id
    and d.meeting_id = c.meeting_id
order by 1, 2;
