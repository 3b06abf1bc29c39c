-- Version 4: the database records its schema's history (cjb_tracker/migrate.py writes a row
-- for each step it applies; a new database records the versions it was made at).
create table schema_migrations (
    version integer primary key,
    name varchar not null,
    applied_at timestamptz not null default now(),
    applied_by varchar not null,
    app_version varchar not null,
    how varchar not null check (how in ('created', 'migrated'))
);
