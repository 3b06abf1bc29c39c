-- Version 7: sessions the server can end (signed-in sessions, with their last use), the
-- sign-in attempts the throttle counts by account and client, and one-time passwords.
-- Signed-in sessions (cjb_tracker/session_store.py). Server state rather than a record, like
-- server_secrets: a session's last use moves, and it ends once. The cookie carries the id,
-- signed with the session key; a session counts only while this row says it is live.
create table sessions (
    session_id varchar not null,      -- 256 random bits, hex
    username varchar not null,
    how varchar not null,             -- password | single sign-on
    client varchar not null,          -- the address it signed in from, as the server saw it
    started_at timestamptz not null,
    last_seen_at timestamptz not null,
    ended_at timestamptz,             -- null while live
    end_reason varchar                -- signed out | idle | limit | password changed | ...
);

-- Every sign-in attempt with a password, by account and client: what the throttle counts
-- (a client that keeps failing for an account waits longer each time; others do not).
-- Attempts are written by sign-ins on many threads at once, outside the batch lock: their
-- ids come from a sequence, so two at once never take the same one.
create sequence sign_in_attempt_seq start 1;
create table sign_in_attempts (
    attempt_id bigint primary key,     -- nextval('sign_in_attempt_seq')
    attempted_at timestamptz not null default now(),
    username varchar not null,
    client varchar not null,
    succeeded boolean not null
);

-- User records whose password the chair set as a one-time password: while a user's newest
-- record is one of them, they must choose their own before anything else.
create table one_time_passwords (
    record_id bigint primary key       -- a user_records.record_id
);
