-- How each distinct period and granularity of a staged measures file reads
-- (cjb_tracker.periods, in Python: one reading per distinct pair), as the temp table
-- check_measures.sql joins: the period as the tracker prints it, its kind, its first and
-- last day, or the problem and the column it is in.
create or replace temp table period_lookup as
select
    unnest($raw_periods::varchar[]) as raw_period,
    unnest($raw_granularities::varchar[]) as raw_granularity,
    unnest($labels::varchar[]) as period_label,
    unnest($kinds::varchar[]) as period_kind,
    unnest($starts::date[]) as period_start,
    unnest($ends::date[]) as period_end,
    unnest($problems::varchar[]) as problem,
    unnest($problem_columns::varchar[]) as problem_column;
