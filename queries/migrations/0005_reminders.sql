-- Schema 4 -> 5 (issue 20): reminder digests and the meetings calendar.
-- New tables only; the meetings and lead_addresses views are re-created from schema.sql.

create sequence lead_address_seq start 1;

create table meeting_moves (
    meeting_id varchar not null,
    replaces varchar not null,
    batch_id integer not null
);

create table lead_address_records (
    record_id bigint primary key,
    lead varchar not null,
    email varchar,
    source varchar not null,
    recorded_by varchar not null,
    recorded_at timestamptz not null default now()
);

create table reminder_messages (
    message_id varchar not null,
    meeting_id varchar not null,
    kind varchar not null check (kind in ('due', 'escalation')),
    round integer not null,
    recipient varchar not null,
    recipient_name varchar not null,
    rec_ids varchar[] not null,
    sent_by varchar not null,
    sent_at timestamptz not null default now()
);
