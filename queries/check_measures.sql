-- Read every staged measures row: clean each value once, read its period (period_lookup,
-- made by cjb_tracker.ingest from cjb_tracker.periods), its unit, direction and kind of area
-- (measure_spellings), and look up the measure and area it names, whether held or defined
-- by the file itself.
--
-- A row with neither a period nor a value defines: a measure (measure, unit, better, and
-- optionally description, source, stage) or an area (area, area_type), or both. Any other
-- row is a figure, and may define its measure and area on the way (the same columns).
-- $markers: what a publisher writes where no figure is published ('..', '[c]', ...), lower
-- case. (With the option only_held, the rows of a measure or area neither held nor defined
-- are skipped, not refused: a published file covers every area. See problems_measures.sql.)
create or replace temp table checked_rows as
with cleaned as (
    select
        row_number,
        clean_text(measure) as measure_name,
        name_key(measure) as measure_id,
        clean_text(area) as area_name,
        name_key(area) as area_id,
        period as raw_period,
        granularity as raw_granularity,
        value as raw_value,
        coalesce(clean_text(breakdown), '') as raw_breakdown,
        unit as raw_unit,
        better as raw_better,
        area_type as raw_area_type,
        clean_text(description) as description,
        clean_text(source) as source,
        clean_text(stage) as stage_name
    from stage
    where not is_blank
)
select
    c.*,
    coalesce(trim(c.raw_period), '') = '' and coalesce(trim(c.raw_value), '') = ''
        as is_definition,
    p.period_label,
    p.period_kind,
    p.period_start,
    p.period_end,
    p.problem as period_problem,
    p.problem_column as period_problem_column,
    u.word as unit,
    b.word as better,
    a.word as area_role,
    lower(trim(c.raw_value)) in (select unnest($markers::varchar[])) as is_marker,
    try_cast(
        replace(replace(replace(trim(c.raw_value), ',', ''), '%', ''), ' ', '') as double)
        as parsed_value
from cleaned as c
left join period_lookup as p
    on p.raw_period is not distinct from c.raw_period
    and p.raw_granularity is not distinct from c.raw_granularity
left join measure_spellings as u
    on u.kind = 'unit'
    and u.key = spelling_key(c.raw_unit)
left join measure_spellings as b
    on b.kind = 'better'
    and b.key = spelling_key(c.raw_better)
left join measure_spellings as a
    on a.kind = 'area_type'
    and a.key = spelling_key(c.raw_area_type);

-- The measures the file defines (rows giving a unit or which way is better): the first
-- row's definition, and whether the rows disagree.
create or replace temp table file_measures as
select
    measure_id,
    arg_min(measure_name, row_number) as name,
    arg_min(unit, row_number) filter (where unit is not null) as unit,
    arg_min(better, row_number) filter (where better is not null) as better,
    arg_min(description, row_number) filter (where description is not null) as description,
    arg_min(source, row_number) filter (where source is not null) as source,
    arg_min(stage_name, row_number) filter (where stage_name is not null) as stage,
    min(row_number) as first_row,
    count(distinct unit) > 1 as units_differ,
    count(distinct better) > 1 as betters_differ
from checked_rows
where measure_id is not null
    and (unit is not null or better is not null)
group by measure_id;

-- The areas the file defines (rows giving area_type).
create or replace temp table file_areas as
select
    area_id,
    arg_min(area_name, row_number) as name,
    arg_min(area_role, row_number) filter (where area_role is not null) as role,
    min(row_number) as first_row,
    count(distinct area_role) > 1 as roles_differ
from checked_rows
where area_id is not null
    and area_role is not null
group by area_id;

-- Each breakdown as held (a breakdown is compared without regard to case), else as the
-- file first writes it.
create or replace temp table file_breakdowns as
with held as (
    select distinct measure_id, breakdown
    from measure_values_in_force
)
select
    c.measure_id,
    lower(c.raw_breakdown) as breakdown_key,
    coalesce(any_value(h.breakdown), arg_min(c.raw_breakdown, c.row_number)) as breakdown
from checked_rows as c
left join held as h
    on h.measure_id = c.measure_id
    and lower(h.breakdown) = lower(c.raw_breakdown)
where c.measure_id is not null
group by c.measure_id, lower(c.raw_breakdown);

create or replace temp table checked_joined as
select
    c.*,
    coalesce(m.name, f.name, c.measure_name) as measure_label,
    coalesce(m.unit, f.unit) as measure_unit,
    m.measure_id is not null as measure_held,
    f.measure_id is not null and f.unit is not null and f.better is not null
        as measure_defined,
    m.unit as held_unit,
    m.better as held_better,
    m.description as held_description,
    m.source as held_source,
    m.stage as held_stage,
    ar.area_id is not null as area_held,
    ar.role as held_role,
    fa.area_id is not null as area_defined,
    coalesce(ar.name, fa.name, c.area_name) as area_label,
    coalesce(fb.breakdown, '') as breakdown,
    case when c.is_marker then null else c.parsed_value end as value,
    v.value as held_value,
    (m.measure_id is not null
        or (f.measure_id is not null and f.unit is not null and f.better is not null))
        and (ar.area_id is not null or fa.area_id is not null) as known
from checked_rows as c
left join measures as m
    on m.measure_id = c.measure_id
left join file_measures as f
    on f.measure_id = c.measure_id
left join areas as ar
    on ar.area_id = c.area_id
left join file_areas as fa
    on fa.area_id = c.area_id
left join file_breakdowns as fb
    on fb.measure_id = c.measure_id
    and fb.breakdown_key = lower(c.raw_breakdown)
left join measure_values_in_force as v
    on v.measure_id = c.measure_id
    and v.area_id = c.area_id
    and v.breakdown = fb.breakdown
    and v.period_start = c.period_start
    and v.period_end = c.period_end;

-- What would be written: every figure of a known measure and area that is a number and is
-- not already held as it is (a figure that differs revises the one held).
create or replace temp table checked as
select
    *,
    not is_definition
        and known
        and value is not null
        and isfinite(value)
        and period_start is not null
        and held_value is distinct from value as will_write
from checked_joined;
