-- Every problem in the checked recommendations rows: (row, column, code, message, is_warning).
with duplicates as (
    select rec_id, list(row_number order by row_number) as file_rows
    from checked
    where rec_id is not null
    group by rec_id
    having count(*) > 1
),
new_reports as (
    select report_code
    from checked
    where not report_held
        and report_code is not null
    group by report_code
    having count(report_title) = 0
)
select row_number as row, 'report_code' as col, 'constraint-error' as code,
    case
        when report_code is null then 'report_code is empty. Give the report''s code, e.g. RAPE1.'
        else format('''{}'' is not a report code: use letters and digits only, e.g. RAPE1.', shown(raw_report_code))
    end as message,
    false as is_warning
from checked
where (report_code is null or not regexp_full_match(report_code, '[A-Z][A-Z0-9]*'))
    and not list_contains($missing, 'report_code')
union all
select row_number, 'report_title', 'constraint-error',
    format('{} is a new report: give its report_title (in at least one of its rows).', report_code),
    false
from checked
semi join new_reports using (report_code)
union all
select row_number, 'number', 'type-error',
    case
        when raw_number is null then 'number is empty. Give the recommendation''s number in the report, e.g. 4.'
        else format('''{}'' is not a recommendation number; write a whole number, e.g. 4.', shown(raw_number))
    end,
    false
from checked
where (number is null or number < 1)
    and not list_contains($missing, 'number')
union all
select row_number, 'title', 'constraint-error',
    format('{} is a new recommendation: its title is required.', rec_id), false
from checked
where held_record_id is null
    and rec_id is not null
    and title is null
union all
select row_number, 'text', 'constraint-error',
    format('{} is a new recommendation: its text is required.', rec_id), false
from checked
where held_record_id is null
    and rec_id is not null
    and text is null
union all
select row_number, 'addressees', 'constraint-error',
    format('{} is a new recommendation: its addressees is required.', rec_id), false
from checked
where held_record_id is null
    and rec_id is not null
    and addressees is null
union all
select row_number, 'due_date', 'type-error', date_problem(raw_due) || '.', false
from checked
where coalesce(trim(raw_due), '') <> ''
    and due_date is null
union all
select row_number, 'report_published', 'type-error', date_problem(raw_report_published) || '.', false
from checked
where coalesce(trim(raw_report_published), '') <> ''
    and report_published is null
union all
select row_number, 'body', 'foreign-key',
    format('No body ''{}''. Use one of: {}.', shown(raw_body),
        (select string_agg(body, ', ' order by body) from bodies)),
    false
from checked
where body is not null
    and not body_known
union all
select row_number, 'addressees', 'constraint-error',
    format('Addressee ''{}'' is new: say whether it is local or national, e.g. ''{} (local)''.',
        shown(addressee), shown(addressee)),
    false
from checked_addressees
where scope is null
union all
select c.row_number, 'number', 'duplicate-row',
    format('{} appears more than once: rows {}. Keep one row per recommendation.',
        c.rec_id, array_to_string(d.file_rows, ' and ')),
    false
from checked as c
join duplicates as d using (rec_id)
order by 1, 2;
