-- Every problem in the checked measures rows: (row, column, code, message, is_warning).
-- $missing: the required columns the file lacks (already reported once, by staging).
-- $only_held: rows for a measure or area neither held nor defined are skipped with a
-- warning per name rather than refused.
with figures as (
    -- (With $only_held, the rows of a measure or area not held are skipped, not checked.)
    select *
    from checked
    where not is_definition
        and (known or not $only_held)
),
duplicates as (
    select measure_id, area_id, breakdown, period_start, period_end,
        list(row_number order by row_number) as file_rows
    from figures
    where measure_id is not null
        and area_id is not null
        and period_start is not null
    group by measure_id, area_id, breakdown, period_start, period_end
    having count(*) > 1
),
unknown_measures as (
    select measure_label, count(*) as rows, min(row_number) as first_row
    from checked
    where measure_id is not null
        and not measure_held
        and not measure_defined
        and unit is null
        and better is null
    group by measure_id, measure_label
),
unknown_areas as (
    select area_label, count(*) as rows, min(row_number) as first_row
    from checked
    where area_id is not null
        and not area_held
        and not area_defined
    group by area_id, area_label
),
repeated as (
    select count(*) as rows, min(row_number) as first_row
    from figures
    where known
        and held_value is not distinct from value
        and value is not null
),
fractions as (
    -- A measure in % whose every figure in the file lies between 0 and 1: most likely
    -- fractions (0.074 for 7.4%), as a spreadsheet formatted as % holds them.
    select measure_label, min(row_number) as first_row
    from figures
    where measure_unit = '%'
        and value is not null
    group by measure_id, measure_label
    having count(*) >= 2
        and max(value) <= 1
        and max(value) > 0
)
-- Each figure needs its measure, area, period and value.
select row_number as row, 'measure' as col, 'constraint-error' as code,
    'measure is empty. Name the measure, e.g. Charge rate.' as message, false as is_warning
from figures
where measure_id is null
    and not list_contains($missing, 'measure')
union all
select row_number, 'area', 'constraint-error',
    'area is empty. Name the area the figure is for, e.g. England and Wales.', false
from figures
where area_id is null
    and not list_contains($missing, 'area')
union all
select row_number, 'period', 'constraint-error',
    'period is empty. Give the period the figure covers, e.g. Apr - Jun 2022.', false
from figures
where coalesce(trim(raw_period), '') = ''
    and not list_contains($missing, 'period')
union all
select row_number, period_problem_column, 'type-error', period_problem, false
from figures
where period_problem is not null
union all
select row_number, 'value', 'constraint-error',
    'value is empty. Give the figure, or the publisher''s mark for none (such as .. or [c]).',
    false
from figures
where coalesce(trim(raw_value), '') = ''
    and coalesce(trim(raw_period), '') <> ''
    and not list_contains($missing, 'value')
union all
select row_number, 'value', 'type-error',
    format('''{}'' is not a number. Write the figure alone, e.g. 7.4 (a percentage as 7.4, not 0.074).',
        shown(trim(raw_value))),
    false
from figures
where coalesce(trim(raw_value), '') <> ''
    and not is_marker
    and (parsed_value is null or not isfinite(parsed_value))
union all
select row_number, 'value', 'constraint-error',
    format('No figure was published for this row (''{}''); it is skipped.', shown(trim(raw_value))),
    true
from figures
where is_marker
union all
select row_number, 'value', 'constraint-error',
    format('{} is counted in {}, which cannot be negative; {} is not a figure it can take.',
        measure_label, measure_unit, value),
    false
from figures
where measure_unit in ('days', 'count')
    and value < 0
union all
select row_number, 'value', 'constraint-error',
    format('{} is a percentage, and {} is outside 0 to 100. Check the figure.',
        measure_label, value),
    true
from figures
where measure_unit = '%'
    and (value < 0 or value > 100)
union all
select first_row, 'value', 'constraint-error',
    format('Every figure of {} in this file is between 0 and 1. Percentages are written as 7.4, not 0.074: check the column was not formatted as %.',
        measure_label),
    true
from fractions
-- The words that define a measure or an area.
union all
select row_number, 'unit', 'constraint-error',
    format('''{}'' is not a unit. Use %, days, count or rate.', shown(trim(raw_unit))), false
from checked
where unit is null
    and coalesce(trim(raw_unit), '') <> ''
union all
select row_number, 'better', 'constraint-error',
    format('''{}'' does not say which way is better. Use higher or lower.',
        shown(trim(raw_better))),
    false
from checked
where better is null
    and coalesce(trim(raw_better), '') <> ''
union all
select row_number, 'area_type', 'constraint-error',
    format('''{}'' is not a kind of area. Use own (the Board''s area), national, similar (the most similar group) or other.',
        shown(trim(raw_area_type))),
    false
from checked
where area_role is null
    and coalesce(trim(raw_area_type), '') <> ''
union all
select row_number, 'better', 'constraint-error',
    format('To define the measure {}, say which way is better (higher or lower) as well as its unit.',
        measure_label),
    false
from checked
where unit is not null
    and better is null
    and coalesce(trim(raw_better), '') = ''
    and not measure_held
    and not measure_defined
union all
select row_number, 'unit', 'constraint-error',
    format('To define the measure {}, give its unit (%, days, count or rate) as well as which way is better.',
        measure_label),
    false
from checked
where better is not null
    and unit is null
    and coalesce(trim(raw_unit), '') = ''
    and not measure_held
    and not measure_defined
union all
select row_number, 'unit', 'constraint-error',
    format('{} is held in {}; this row gives {}. A measure is defined once: its unit cannot change (define a new measure under another name).',
        measure_label, held_unit, unit),
    false
from checked
where measure_held
    and unit is not null
    and unit <> held_unit
union all
select row_number, 'better', 'constraint-error',
    format('{} is held as better when {}; this row says {}. A measure is defined once: which way is better cannot change.',
        measure_label, held_better, better),
    false
from checked
where measure_held
    and better is not null
    and better <> held_better
union all
select c.row_number, 'unit', 'constraint-error',
    format('Rows of this file define {} differently (unit or which way is better). A measure is defined once: make them agree with row {}.',
        c.measure_label, f.first_row),
    false
from checked as c
join file_measures as f using (measure_id)
where not c.measure_held
    and (f.units_differ or f.betters_differ)
    and c.row_number > f.first_row
    and ((c.unit is not null and c.unit <> f.unit) or (c.better is not null and c.better <> f.better))
union all
select c.row_number, 'area_type', 'constraint-error',
    format('{} is held as {}; this row says {}. Each area has one kind.',
        c.area_label, c.held_role, c.area_role),
    false
from checked as c
where c.area_held
    and c.area_role is not null
    and c.area_role <> c.held_role
union all
select c.row_number, 'area_type', 'constraint-error',
    format('Rows of this file give {} different kinds. Each area has one kind: make them agree with row {}.',
        c.area_label, f.first_row),
    false
from checked as c
join file_areas as f using (area_id)
where not c.area_held
    and f.roles_differ
    and c.row_number > f.first_row
    and c.area_role <> f.role
union all
select min(row_number), 'description', 'constraint-error',
    format('{} is held with another description, source or stage; the one held is kept (a measure is defined once).',
        any_value(measure_label)),
    true
from checked
where measure_held
    and (description <> held_description
        or source <> held_source
        or stage_name <> held_stage)
group by measure_id
-- A row with neither period nor value must define something.
union all
select row_number, null, 'constraint-error',
    format('Row {} has no period and no value, so it defines a measure (measure, unit, better) or an area (area, area_type); it names neither.',
        row_number),
    false
from checked
where is_definition
    and measure_id is null
    and area_id is null
-- What the file names must be held, or defined by the file.
union all
select c.row_number, 'measure', 'foreign-key',
    format('No measure ''{}'' is held or defined in this file. Check the name, or define it: give its unit and which way is better on a row.',
        shown(c.measure_name)),
    false
from checked as c
where c.measure_id is not null
    and not c.measure_held
    and not c.measure_defined
    and c.unit is null
    and c.better is null
    and not $only_held
union all
select c.row_number, 'area', 'foreign-key',
    format('No area ''{}'' is held or defined in this file. Check the name, or define it: give its area_type (own, national, similar or other) on a row.',
        shown(c.area_name)),
    false
from checked as c
where c.area_id is not null
    and not c.area_held
    and not c.area_defined
    and not $only_held
union all
select first_row, 'measure', 'foreign-key',
    format('No measure ''{}'' is held: its {} row(s) are skipped (only the measures and areas held are read).',
        shown(measure_label), rows),
    true
from unknown_measures
where $only_held
union all
select first_row, 'area', 'foreign-key',
    format('No area ''{}'' is held: its {} row(s) are skipped (only the measures and areas held are read).',
        shown(area_label), rows),
    true
from unknown_areas
where $only_held
-- Each figure once.
union all
select c.row_number, 'period', 'duplicate-row',
    format('{}{} in {} for {} appears more than once: rows {}. Keep one row.',
        c.measure_label, case when c.breakdown <> '' then ' (' || c.breakdown || ')' else '' end,
        c.area_label, c.period_label, array_to_string(d.file_rows, ' and ')),
    false
from figures as c
join duplicates as d
    on d.measure_id = c.measure_id
    and d.area_id = c.area_id
    and d.breakdown = c.breakdown
    and d.period_start = c.period_start
    and d.period_end = c.period_end
union all
select row_number, 'value', 'constraint-error',
    format('This revises the figure held for {} in {}, {}, from {} to {}.',
        measure_label, area_label, period_label, held_value, value),
    true
from figures
where known
    and held_value is not null
    and value is not null
    and held_value <> value
union all
select first_row, 'value', 'duplicate-row',
    format('{} row(s) repeat figures already held, from row {}; they add nothing.', rows, first_row),
    true
from repeated
where rows > 0
order by 1, 2;
