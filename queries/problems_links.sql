-- Every problem in the checked links rows: (row, column, code, message, is_warning).
with duplicates as (
    select rec_id, measure_id, breakdown, list(row_number order by row_number) as file_rows
    from checked
    where rec_id is not null
        and measure_id is not null
    group by rec_id, measure_id, breakdown
    having count(*) > 1
)
select row_number as row, 'recommendation_id' as col, 'constraint-error' as code,
    'recommendation_id is empty. Give the id, e.g. RAPE1-R4.' as message, false as is_warning
from checked
where rec_id is null
    and not list_contains($missing, 'recommendation_id')
union all
select row_number, 'recommendation_id', 'foreign-key',
    format('No recommendation ''{}'' is held. Check the id on the Recommendations page.',
        shown(raw_rec_id)),
    false
from checked
where rec_id is not null
    and not rec_known
union all
select row_number, 'measure', 'constraint-error',
    'measure is empty. Name the measure the recommendation should move.', false
from checked
where measure_id is null
    and not list_contains($missing, 'measure')
union all
select row_number, 'measure', 'foreign-key',
    format('No measure ''{}'' is held. Upload a measures file that defines it first, or check the name on the Outcomes page.',
        shown(measure_name)),
    false
from checked
where measure_id is not null
    and not measure_known
union all
select row_number, 'expected', 'constraint-error',
    format('''{}'' is not a direction. Use rise or fall (or leave it empty for the way the measure calls better).',
        shown(trim(raw_expected))),
    false
from checked
where expected is null
    and coalesce(trim(raw_expected), '') <> ''
union all
select row_number, 'breakdown', 'foreign-key',
    format('No figures of {}{} are held yet; the link is kept and its chart stays empty until they are.',
        measure_label, case when breakdown <> '' then ' (' || breakdown || ')' else ' without a breakdown' end),
    true
from checked
where measure_known
    and not breakdown_held
union all
select row_number, 'expected', 'duplicate-row',
    format('{} is already linked to {} (expected to {}); this row is skipped.',
        rec_id, measure_label, expected),
    true
from checked
where already_linked
    and not will_write
union all
select row_number, 'expected', 'constraint-error',
    format('{} is linked to {} expecting it to {}; this row changes that to {}.',
        rec_id, measure_label, linked_expected, expected),
    true
from checked
where already_linked
    and will_write
    and expected is not null
union all
select c.row_number, 'measure', 'duplicate-row',
    format('{} and {} appear together more than once: rows {}. Keep one row.',
        c.rec_id, c.measure_label, array_to_string(d.file_rows, ' and ')),
    false
from checked as c
join duplicates as d
    on d.rec_id = c.rec_id
    and d.measure_id = c.measure_id
    and d.breakdown = c.breakdown
order by 1, 2;
