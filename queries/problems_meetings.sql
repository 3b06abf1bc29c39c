-- Every problem in the checked meetings rows: (row, column, code, message, is_warning).
with duplicates as (
    select meeting_id, list(row_number order by row_number) as file_rows
    from checked
    where meeting_id is not null
    group by meeting_id
    having count(*) > 1
)
select row_number as row, 'body' as col, 'constraint-error' as code,
    'body is empty. Name the board or group, e.g. CJB.' as message, false as is_warning
from checked
where body is null
    and not list_contains($missing, 'body')
union all
select row_number, 'body', 'foreign-key',
    format('No body ''{}''. Use one of: {}.', shown(raw_body),
        (select string_agg(body, ', ' order by body) from bodies)),
    false
from checked
where body is not null
    and not body_known
union all
select row_number, 'date', 'constraint-error', 'date is empty. Give the meeting date.', false
from checked
where raw_date is null
    and not list_contains($missing, 'date')
union all
select row_number, 'date', 'type-error', date_problem(raw_date) || '.', false
from checked
where raw_date is not null
    and held_on is null
union all
select row_number, 'date', 'duplicate-row',
    format('A {} meeting on {} is already held; this row will be skipped.', body, uk_date(held_on)),
    true
from checked
where already_held
    and raw_replaces is null
union all
select row_number, 'date', 'constraint-error',
    format('A {} meeting on {} is already held; a meeting can only move to a date with none.',
        body, uk_date(held_on)),
    false
from checked
where already_held
    and raw_replaces is not null
union all
select row_number, 'replaces', 'type-error', date_problem(raw_replaces) || '.', false
from checked
where raw_replaces is not null
    and replaces_on is null
union all
select row_number, 'replaces', 'constraint-error',
    'replaces is the date of the meeting itself. Leave it empty unless the meeting moved.', false
from checked
where replaces_on = held_on
union all
select row_number, 'replaces', 'foreign-key',
    format('No {} meeting on {} to move. replaces is the date the meeting was moved from; '
        || 'leave it empty for a new meeting.', body, uk_date(replaces_on)),
    false
from checked
where replaces_on is not null
    and replaces_on <> held_on
    and body_known
    and not replaced_known
union all
select row_number, 'replaces', 'constraint-error',
    format('Updates were reported for the {} meeting on {}, so it cannot be moved. Add the '
        || 'new meeting without replaces (both are kept).', body, uk_date(replaces_on)),
    false
from checked
where replaced_has_updates
union all
select c.row_number, 'replaces', 'duplicate-row',
    format('The {} meeting on {} is moved by more than one row: rows {}. Keep one.',
        c.body, uk_date(c.replaces_on), array_to_string(d.file_rows, ' and ')),
    false
from checked as c
join (
    select replaces, list(row_number order by row_number) as file_rows
    from checked
    where replaces is not null
    group by replaces
    having count(*) > 1
) as d
    using (replaces)
union all
select c.row_number, 'date', 'duplicate-row',
    format('The {} meeting on {} appears more than once: rows {}. Keep one row.',
        c.body, uk_date(c.held_on), array_to_string(d.file_rows, ' and ')),
    false
from checked as c
join duplicates as d using (meeting_id)
order by 1, 2;
