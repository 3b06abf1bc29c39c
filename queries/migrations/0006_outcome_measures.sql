-- Version 6: outcome measures (issue 18). What each measure is, the areas its figures are
-- for, the figures, and the chair's links from recommendations to the measures they are
-- meant to move: four new tables of records (the views over them come from schema.sql).
create table measure_records (
    record_id bigint primary key,
    measure_id varchar not null,
    name varchar not null,
    unit varchar not null check (unit in ('%', 'days', 'count', 'rate')),
    better varchar not null check (better in ('higher', 'lower')),
    description varchar,
    source varchar,
    stage varchar,
    batch_id integer not null
);

create table area_records (
    record_id bigint primary key,
    area_id varchar not null,
    name varchar not null,
    role varchar not null check (role in ('own', 'national', 'similar', 'other')),
    batch_id integer not null
);

create table measure_values (
    value_id bigint primary key,
    measure_id varchar not null,
    area_id varchar not null,
    breakdown varchar not null,
    period_label varchar not null,
    period_kind varchar not null
        check (period_kind in ('day', 'month', 'quarter', 'year', 'months', 'range')),
    period_start date not null,
    period_end date not null,
    value double not null,
    batch_id integer not null,
    source_row integer
);

create table measure_link_records (
    record_id bigint primary key,
    rec_id varchar not null,
    measure_id varchar not null,
    breakdown varchar not null,
    expected varchar check (expected in ('rise', 'fall')),
    linked boolean not null,
    note varchar,
    batch_id integer not null
);
