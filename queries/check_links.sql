-- Read every staged links row: the recommendation, the measure and breakdown it is meant to
-- move, and which way (expected: rise or fall, from measure_spellings; when empty, the way
-- the measure's own rule calls better). Each breakdown is compared without regard to case
-- and written as the figures held write it.
create or replace temp table checked as
with cleaned as (
    select
        row_number,
        recommendation_id as raw_rec_id,
        norm_id(recommendation_id) as rec_id,
        clean_text(measure) as measure_name,
        name_key(measure) as measure_id,
        coalesce(clean_text(breakdown), '') as raw_breakdown,
        expected as raw_expected,
        clean_text(note) as note
    from stage
    where not is_blank
),
held_breakdowns as (
    select distinct measure_id, breakdown
    from measure_values_in_force
),
read as (
    select
        c.*,
        r.rec_id is not null as rec_known,
        m.measure_id is not null as measure_known,
        coalesce(m.name, c.measure_name) as measure_label,
        coalesce(
            e.word,
            case
                when coalesce(trim(c.raw_expected), '') = ''
                    then case m.better when 'higher' then 'rise' when 'lower' then 'fall' end
            end) as expected,
        coalesce(h.breakdown, c.raw_breakdown) as breakdown,
        h.breakdown is not null as breakdown_held
    from cleaned as c
    left join (select rec_id from recommendations) as r
        on r.rec_id = c.rec_id
    left join measures as m
        on m.measure_id = c.measure_id
    left join measure_spellings as e
        on e.kind = 'expected'
        and e.key = spelling_key(c.raw_expected)
    left join held_breakdowns as h
        on h.measure_id = c.measure_id
        and lower(h.breakdown) = lower(c.raw_breakdown)
)
select
    r.*,
    l.rec_id is not null as already_linked,
    l.expected as linked_expected,
    l.rec_id is null or l.expected is distinct from r.expected as will_write
from read as r
left join measure_links as l
    on l.rec_id = r.rec_id
    and l.measure_id = r.measure_id
    and l.breakdown = r.breakdown;
