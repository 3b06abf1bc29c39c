-- The tracker's schema. Run once on an empty database (cjb_tracker.store.create_schema).
--
-- Append-only by design: recommendations, reports, meetings and updates are kept as
-- records written by an import batch. Undoing a batch marks it reverted; the views
-- below ignore reverted batches, so every view shows what it showed before the batch.
-- Nothing here is ever deleted.

create sequence batch_seq start 1;
create sequence record_seq start 1;
create sequence user_record_seq start 1;
create sequence audit_seq start 1;
create sequence lead_address_seq start 1;

create table bodies (
    body varchar primary key,
    name varchar not null
);

create table import_batches (
    batch_id integer primary key,
    kind varchar not null,          -- seed | updates | recommendations | meetings | decision | measures | links
    file_name varchar,
    sha256 varchar,
    imported_by varchar,
    imported_at timestamptz not null default now(),
    row_count integer not null default 0,
    inserted integer not null default 0,
    status varchar not null,        -- committed | rejected | duplicate | reverted
    illustrative boolean not null default false,
    error_count integer not null default 0,
    warning_count integer not null default 0,
    reverted_by varchar,
    reverted_at timestamptz
);

create table report_records (
    record_id bigint primary key,
    report_code varchar not null,
    title varchar not null,
    publisher varchar,
    published_on date,
    link varchar,
    batch_id integer not null
);

create table recommendation_records (
    record_id bigint primary key,
    rec_id varchar not null,
    report_code varchar not null,
    number integer not null,
    title varchar not null,
    text varchar not null,
    timescale varchar,
    original_due date,
    lead varchar,
    body varchar not null,
    initial_response varchar,
    batch_id integer not null
);

create table addressee_records (
    record_id bigint not null,      -- the recommendation_records row these belong to
    position integer not null,
    addressee varchar not null,
    scope varchar not null check (scope in ('local', 'national'))
);

create table meeting_records (
    record_id bigint primary key,
    meeting_id varchar not null,    -- '{body}:{yyyy-mm-dd}', e.g. CJB:2022-04-13
    body varchar not null,
    held_on date not null,
    title varchar,
    batch_id integer not null
);

create table updates (
    update_id bigint not null,      -- unique by construction (max + row number); no index to maintain
    -- Stored uncompressed: a million ids in upload order (every recommendation at one meeting,
    -- then the next) make DuckDB's dictionary and FSST analysis cost three times the write,
    -- for about 11 MB a million rows.
    rec_id varchar not null using compression uncompressed,
    meeting_id varchar not null,
    status varchar not null,
    rag varchar,
    narrative varchar,
    next_steps varchar,
    revised_due date,
    revision_reason varchar,
    evidence varchar,
    reported_by varchar,
    batch_id integer not null,
    recorded_at timestamptz not null default now(),
    source_row integer,
    kind varchar not null default 'update'  -- update (a lead's report) | decision (the Board's)
);

create table statuses (
    status varchar primary key,
    sort_order integer not null,
    is_open boolean not null
);

insert into statuses values
    ('Not started', 1, true),
    ('In progress', 2, true),
    ('Awaiting national action', 3, true),
    ('Closure proposed', 4, true),
    ('Complete', 5, false),
    ('Superseded', 6, false);

-- Batches whose records count: committed, not reverted.
create view live_batches as
select batch_id, illustrative
from import_batches
where status = 'committed';

create view reports as
select report_code, title, publisher, published_on, link, illustrative
from (
    select r.*, b.illustrative,
        row_number() over (partition by r.report_code order by r.record_id desc) as newest
    from report_records as r
    join live_batches as b using (batch_id)
)
where newest = 1;

-- The version of each recommendation in force: its newest record in a live batch. Derived
-- (never a record of its own), so the pages read one row per recommendation instead of
-- ranking every version each time: queries/refresh_recommendations.sql rebuilds the rows of
-- the recommendations a batch touches, in the transaction that writes or undoes it.
create table current_recommendations (
    rec_id varchar not null,
    report_code varchar not null,
    number integer not null,
    title varchar not null,
    text varchar not null,
    timescale varchar,
    original_due date,
    lead varchar,
    body varchar not null,
    initial_response varchar,
    record_id bigint not null,
    illustrative boolean not null
);

create view recommendations as
select rec_id, report_code, number, title, text, timescale, original_due, lead, body,
    initial_response, record_id, illustrative
from current_recommendations;

create view recommendation_addressees as
select r.rec_id, a.addressee, a.scope, a.position
from recommendations as r
join addressee_records as a using (record_id);

-- Which meeting a meeting replaces: a meetings file row with 'replaces' moves that meeting of
-- the same body to the row's date (written by queries/insert_meetings.sql, in its batch). The
-- meeting moved from is no longer a meeting in any view while the move's batch is live; its
-- calendar event (queries/meeting_calendar.sql) keeps its UID at the new date.
create table meeting_moves (
    meeting_id varchar not null,    -- the meeting at the new date
    replaces varchar not null,      -- the meeting it moved from
    batch_id integer not null
);

create view meetings as
select meeting_id, body, held_on, title, illustrative
from (
    select m.*, b.illustrative,
        row_number() over (partition by m.meeting_id order by m.record_id desc) as newest
    from meeting_records as m
    join live_batches as b using (batch_id)
    anti join (
        select v.replaces
        from meeting_moves as v
        semi join live_batches as l
            on l.batch_id = v.batch_id
    ) as moved
        on moved.replaces = m.meeting_id
)
where newest = 1;

-- Which updates a later upload superseded: every update already held for the same
-- recommendation and meeting when a batch of updates is imported, with that batch
-- (written by queries/insert_updates.sql). An update stays superseded only while the
-- batch that superseded it is live, so undoing a batch needs nothing here; and views
-- find the update in force without ranking a million rows.
create table superseded_updates (
    update_id bigint not null,
    by_batch integer not null
);

-- What stands for each recommendation at each meeting: the Board's closure decision if it
-- made one there, else the latest report (a later upload supersedes an earlier one).
create view effective_updates as
with live as (
    select u.*
    from updates as u
    semi join live_batches as b
        on u.batch_id = b.batch_id
),
decided as (
    select rec_id, meeting_id, max(update_id) as update_id
    from live
    where kind = 'decision'
    group by rec_id, meeting_id
)
select u.update_id, u.rec_id, u.meeting_id, m.body as meeting_body, m.held_on,
    u.status, u.rag, u.narrative, u.next_steps, u.revised_due, u.revision_reason,
    u.evidence, u.reported_by, u.batch_id, u.recorded_at, u.kind
from live as u
anti join (
    select s.update_id
    from superseded_updates as s
    semi join live_batches as b
        on s.by_batch = b.batch_id
) as s
    on s.update_id = u.update_id
anti join decided as d
    on d.rec_id = u.rec_id
    and d.meeting_id = u.meeting_id
    and d.update_id <> u.update_id
join meetings as m
    using (meeting_id);

-- A recommendation's history: at each meeting, the latest report and the Board's decision.
create view update_history as
select u.update_id, u.rec_id, u.meeting_id, m.body as meeting_body, m.held_on,
    u.status, u.rag, u.narrative, u.next_steps, u.revised_due, u.revision_reason,
    u.evidence, u.reported_by, u.batch_id, u.recorded_at, u.kind
from (
    select u.*,
        row_number() over (partition by u.rec_id, u.meeting_id, u.kind order by u.update_id desc)
            as newest
    from updates as u
    semi join live_batches as b on u.batch_id = b.batch_id
) as u
join meetings as m using (meeting_id)
where u.newest = 1;

-- Whether a recommendation passes the dashboard's shared filters (a null filter passes all).
create macro matches_filters(rec, report_code, body, lead, f_report, f_body, f_lead, f_addressee) as
    (f_report is null or report_code = f_report)
    and (f_body is null or body = f_body)
    and (f_lead is null or lead = f_lead)
    and (f_addressee is null or rec in (
        select rec_id
        from recommendation_addressees
        where addressee = f_addressee));

-- Which bodies each recommendation has been reported to (a live update at one of their
-- meetings). Derived like positions, and rebuilt with them (queries/refresh_positions.sql).
create table reported_to (
    rec_id varchar not null,
    body varchar not null
);

-- The recommendations a meeting's body follows: those it owns, and those reported to it.
create macro recommendations_followed_at(meeting) as table
select r.rec_id
from recommendations as r
join meetings as m
    on r.body = m.body
where m.meeting_id = meeting
union
select t.rec_id
from reported_to as t
join meetings as m
    on t.body = m.body
where m.meeting_id = meeting;

create macro london_today() as cast(timezone('Europe/London', now()) as date);

-- Where each recommendation stood from each meeting date on: derived from effective_updates
-- (never a record of its own), so every page reads one row per recommendation instead of
-- ranking every update. queries/refresh_positions.sql rebuilds the rows of the
-- recommendations a batch touches, in the transaction that writes or undoes it.
create table positions (
    rec_id varchar not null using compression uncompressed,  -- (see updates.rec_id)
    held_on date not null,          -- in force from this meeting date ...
    until date not null,            -- ... to the day before the next one (9999-12-31: today)
    update_id bigint not null,      -- the update that set it: the latest of that day
    meeting_id varchar not null,
    status varchar not null,
    rag varchar,
    revised_due date,               -- the latest revised due date given by then
    revisions integer not null,     -- how many revised due dates were given by then
    is_first boolean not null       -- the recommendation's first position (first reported on)
);

-- The position of every recommendation as at a date: its latest update at a meeting
-- held on or before that date, its current due date, and whether it is overdue.
create macro status_as_at(as_at) as table
with known as (
    select rec_id, status, rag, meeting_id, held_on, revised_due, revisions
    from positions
    where held_on <= as_at
        and as_at < until
),
positioned as (
    select r.rec_id, r.report_code, r.number, r.title, r.lead, r.body,
        coalesce(k.status, 'Not started') as status,
        k.rag,
        coalesce(k.revised_due, r.original_due) as due,
        r.original_due,
        coalesce(k.revisions, 0) as revisions,
        k.meeting_id as last_meeting_id,
        k.held_on as last_update_on,
        s.is_open,
        cast(as_at as date) as as_at
    from recommendations as r
    left join known as k using (rec_id)
    join statuses as s on s.status = coalesce(k.status, 'Not started')
)
select *,
    coalesce(is_open and due < as_at, false) as overdue,
    case when is_open and due < as_at then date_diff('day', due, as_at) else 0 end
        as days_overdue
from positioned;

create view current_status as
select *
from status_as_at(london_today());

-- Who owes an update for a meeting: the open recommendations its body follows (owns, or has
-- had reported to it) that the filters select, with no update for that meeting.
create macro updates_owed_at(meeting, f_report, f_body, f_lead, f_addressee) as table
select
    coalesce(s.lead, 'No lead set') as lead,
    s.rec_id, s.title, s.status, s.rag, s.last_update_on, s.due, s.report_code, s.number
from status_as_at((select held_on from meetings where meeting_id = meeting)) as s
semi join recommendations_followed_at(meeting) as f
    using (rec_id)
anti join (
    select u.rec_id
    from updates as u
    semi join live_batches as b
        on b.batch_id = u.batch_id
    where u.meeting_id = meeting
) as u
    using (rec_id)
where s.is_open
    and matches_filters(s.rec_id, s.report_code, s.body, s.lead,
        f_report, f_body, f_lead, f_addressee);

-- How imported cells are cleaned and read. Used by the import checks in queries/check_*.sql.

-- An identifier as compared: every kind of space (including non-breaking and zero-width)
-- removed, upper case. ' rape1-r4​' = 'RAPE1-R4'.
-- (The first branch is a fast path for ids that are already clean.)
create macro norm_id(x) as
    case
        when regexp_full_match(x, '[A-Za-z0-9-]+') then upper(x)
        else nullif(upper(regexp_replace(x, '[\s\x{00A0}\x{200B}-\x{200D}\x{2060}\x{FEFF}]+', '', 'g')), '')
    end;

-- Whether a code point (ord of a string: its first character's; -1 for '') is a space
-- that clean_text trims.
create macro is_space_code(n) as
    n <= 32 or n in (160, 8203, 8204, 8205, 65279);

-- Whether a character (one, or '' for none) is such a space.
create macro is_space_char(c) as
    is_space_code(ord(c));

-- Free text as stored: surrounding spaces trimmed, empty means absent; the rest verbatim.
-- (Each end is looked at by its character first, the first by ord of the whole string
-- (which reads it in place), and trimmed by a regex anchored there only when it needs it:
-- a million narratives cost a tenth of what one regex for both ends does.)
create macro clean_text(x) as
    case
        when not is_space_code(ord(x)) and not is_space_char(x[-1]) then x
        when not is_space_code(ord(x))
            then regexp_replace(x, '[\s\x{00A0}\x{200B}-\x{200D}\x{FEFF}]+$', '')
        when not is_space_char(x[-1])
            then regexp_replace(x, '^[\s\x{00A0}\x{200B}-\x{200D}\x{FEFF}]+', '')
        else nullif(regexp_replace(regexp_replace(x,
            '^[\s\x{00A0}\x{200B}-\x{200D}\x{FEFF}]+', ''),
            '[\s\x{00A0}\x{200B}-\x{200D}\x{FEFF}]+$', ''), '')
    end;

-- A vocabulary word as compared: lower case, no spaces.
-- (Plain replace calls: several times faster than one regex on a million cells.)
-- (Plain ASCII with no tab or CR, the common case, needs only the spaces taken out.)
create macro spelling_key(x) as
    case
        when strlen(x) = length(x) and not contains(x, chr(9)) and not contains(x, chr(13))
            then lower(replace(x, ' ', ''))
        else lower(replace(replace(replace(replace(replace(replace(
            x, ' ', ''), chr(9), ''), chr(160), ''), chr(8203), ''), chr(65279), ''), chr(13), ''))
    end;

-- A date as people in the UK write it: day first (13/04/2022, 13-04-2022, 13.04.2022),
-- ISO (2022-04-13) or as the tracker prints it (13 Apr 2022). Never month first.
create macro parse_uk_date(x) as
    case
        -- The common shapes first, matched without a regex (LIKE fixes the width, so a
        -- two-digit year cannot slip through %Y).
        when x like '__/__/____' then cast(try_strptime(x, '%d/%m/%Y') as date)
        when x like '____-__-__' then cast(try_strptime(x, '%Y-%m-%d') as date)
        when regexp_full_match(trim(x), '\d{4}-\d{1,2}-\d{1,2}')
            then cast(try_strptime(trim(x), '%Y-%m-%d') as date)
        when regexp_full_match(trim(x), '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}')
            then cast(try_strptime(regexp_replace(trim(x), '[.-]', '/', 'g'), '%d/%m/%Y') as date)
        when regexp_full_match(trim(x), '\d{1,2} [A-Za-z]{3,9} \d{4}')
            then coalesce(
                cast(try_strptime(trim(x), '%d %b %Y') as date),
                cast(try_strptime(trim(x), '%d %B %Y') as date))
    end;

-- A cell's value as quoted in a message: at most 40 characters.
create macro shown(x) as
    case when length(x) > 40 then left(x, 40) || '…' else x end;

-- Why a date cell could not be read, in words a lead can act on.
create macro date_problem(x) as
    case
        when regexp_full_match(trim(x), '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}')
            and cast(regexp_extract(trim(x), '^\d+[/.-](\d+)', 1) as integer) > 12
            and cast(regexp_extract(trim(x), '^(\d+)', 1) as integer) <= 12
            then format('''{}'' looks month-first; dates are day first: write {}/{}/{}', trim(x),
                regexp_extract(trim(x), '^\d+[/.-](\d+)', 1), regexp_extract(trim(x), '^(\d+)', 1),
                regexp_extract(trim(x), '(\d{4})$', 1))
        when regexp_full_match(trim(x), '\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2}')
            then format('''{}'' is not a date in the calendar', trim(x))
        else format('''{}'' is not a date; write it as dd/mm/yyyy, e.g. 13/04/2022',
            case when length(x) > 40 then left(x, 40) || '…' else x end)
    end;

-- A date as the tracker prints it: 13 Sep 2021.
create macro uk_date(d) as strftime(d, '%-d %b %Y');

-- Who may sign in, and as what. Append-only like the rest: adding, changing, disabling or
-- assigning a user writes a new record; the newest record of a username is the user.
create table user_records (
    record_id bigint primary key,      -- nextval('user_record_seq') (no default: restore re-creates sequences)
    username varchar not null,        -- lower case
    display_name varchar not null,
    email varchar,                    -- lower case; matched for single sign-on
    role varchar not null check (role in ('member', 'lead', 'chair')),
    password_hash varchar,            -- bcrypt; null for single sign-on only
    enabled boolean not null,
    lead_names varchar[] not null default [],  -- a lead answers for recommendations with these leads
    rec_ids varchar[] not null default [],     -- and for these recommendations
    illustrative boolean not null default false,
    recorded_by varchar not null,
    recorded_at timestamptz not null default now()
);

create view users as
select * exclude (newest)
from (
    select *, row_number() over (partition by username order by record_id desc) as newest
    from user_records
)
where newest = 1;

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

-- What was done, by whom, to what, and how it ended. Written once, never changed.
create table audit_events (
    event_id bigint primary key,       -- nextval('audit_seq')
    occurred_at timestamptz not null default now(),
    actor varchar not null,          -- a username, or what --by named on the command line
    action varchar not null,         -- sign-in | import | undo | closure-proposal | closure-decision | export | user
                                     -- | reminder | lead-address | migrate | session
    target varchar,                  -- a file, a batch, a recommendation, a user
    outcome varchar not null,        -- success | failure | committed | rejected | duplicate | refused | ...
    detail varchar
);

-- Secrets the server makes for itself on first use, e.g. the key that signs session cookies.
create table server_secrets (
    name varchar primary key,
    value varchar not null,
    created_at timestamptz not null default now()
);

-- The e-mail address of a lead who is not a user (or whose reminders go elsewhere), set by the
-- chair per lead name (cjb-tracker lead set-email) or from a small file of addresses.
-- Append-only: the newest record of a lead name is its address; a null email removes it.
create table lead_address_records (
    record_id bigint primary key,      -- nextval('lead_address_seq')
    lead varchar not null,             -- the lead name as the recommendations give it
    email varchar,                     -- lower case; null: the address was removed
    source varchar not null,           -- 'set-email', or the name of the file it came from
    recorded_by varchar not null,
    recorded_at timestamptz not null default now()
);

create view lead_addresses as
select lead, email, source, recorded_by, recorded_at
from (
    select *, row_number() over (partition by lead order by record_id desc) as newest
    from lead_address_records
)
where newest = 1
    and email is not null;

-- Every reminder digest sent: to whom, for which meeting, of which kind and round, when,
-- and its Message-ID. Written once a message is accepted by the mail server, never changed;
-- a run sends nothing to an address already recorded for the same meeting, kind and round.
create table reminder_messages (
    message_id varchar not null,       -- the Message-ID header, e.g. <...@example.gov.uk>
    meeting_id varchar not null,
    kind varchar not null check (kind in ('due', 'escalation')),
    round integer not null,            -- days before the meeting: a schedule point (due) or
                                       -- the deadline (escalation)
    recipient varchar not null,        -- the e-mail address
    recipient_name varchar not null,   -- the person or lead name it was addressed to
    rec_ids varchar[] not null,        -- the recommendations it listed
    sent_by varchar not null,
    sent_at timestamptz not null default now()
);

-- Outcome measures (issue 18): what each measure is, the areas its figures are for, the
-- figures, and which recommendations are meant to move which measures. Records like the
-- rest, each written by a batch (a measures or links file, or the chair on a
-- recommendation's page); undoing the batch takes them out of every view below.

-- A measure, defined once: its unit, which way is better, what it counts and where from.
create table measure_records (
    record_id bigint primary key,       -- nextval('record_seq')
    measure_id varchar not null,        -- the name as compared: name_key(name)
    name varchar not null,
    unit varchar not null check (unit in ('%', 'days', 'count', 'rate')),
    better varchar not null check (better in ('higher', 'lower')),
    description varchar,
    source varchar,
    stage varchar,                      -- the stage of the system, e.g. Charge (optional)
    batch_id integer not null
);

-- An area figures are given for: the Board's own, or a comparator (national, the most
-- similar group, another area).
create table area_records (
    record_id bigint primary key,       -- nextval('record_seq')
    area_id varchar not null,           -- name_key(name)
    name varchar not null,
    role varchar not null check (role in ('own', 'national', 'similar', 'other')),
    batch_id integer not null
);

-- One figure: a measure, for an area (and a breakdown, e.g. an offence type), over a period
-- from its first to its last day. A later batch's figure for the same period revises it.
create table measure_values (
    value_id bigint primary key,        -- nextval('record_seq')
    measure_id varchar not null,
    area_id varchar not null,
    breakdown varchar not null,         -- '' for the whole, no breakdown
    period_label varchar not null,      -- as the tracker prints it: 'Apr - Jun 2022'
    period_kind varchar not null
        check (period_kind in ('day', 'month', 'quarter', 'year', 'months', 'range')),
    period_start date not null,
    period_end date not null,
    value double not null,
    batch_id integer not null,
    source_row integer
);

-- The chair's link from a recommendation to a measure it is meant to move, with the way it
-- should move; a record with linked = false takes the link away. The newest record of a
-- recommendation, measure and breakdown in a live batch stands.
create table measure_link_records (
    record_id bigint primary key,       -- nextval('record_seq')
    rec_id varchar not null,
    measure_id varchar not null,
    breakdown varchar not null,
    expected varchar check (expected in ('rise', 'fall')),
    linked boolean not null,
    note varchar,
    batch_id integer not null
);

-- A measure's or an area's name as compared: spaces of every kind collapsed, lower case.
create macro name_key(x) as
    nullif(lower(trim(regexp_replace(x, '[\s\x{00A0}\x{200B}-\x{200D}\x{FEFF}]+', ' ', 'g'))), '');

create view measures as
select measure_id, name, unit, better, description, source, stage, record_id, batch_id,
    illustrative
from (
    select m.*, b.illustrative,
        row_number() over (partition by m.measure_id order by m.record_id desc) as newest
    from measure_records as m
    join live_batches as b using (batch_id)
)
where newest = 1;

create view areas as
select area_id, name, role, record_id, batch_id, illustrative
from (
    select a.*, b.illustrative,
        row_number() over (partition by a.area_id order by a.record_id desc) as newest
    from area_records as a
    join live_batches as b using (batch_id)
)
where newest = 1;

-- The figure in force for each measure, area, breakdown and period: the newest live one.
create view measure_values_in_force as
select value_id, measure_id, area_id, breakdown, period_label, period_kind, period_start,
    period_end, value, batch_id, illustrative
from (
    select v.*, b.illustrative,
        row_number() over (
            partition by v.measure_id, v.area_id, v.breakdown, v.period_start, v.period_end
            order by v.value_id desc) as newest
    from measure_values as v
    join live_batches as b using (batch_id)
)
where newest = 1;

-- The links that stand: the newest live record of each, unless it took the link away.
create view measure_links as
select l.rec_id, l.measure_id, l.breakdown, l.expected, l.note, l.record_id, l.batch_id
from (
    select l.*,
        row_number() over (
            partition by l.rec_id, l.measure_id, l.breakdown order by l.record_id desc)
            as newest
    from measure_link_records as l
    semi join live_batches as b using (batch_id)
) as l
semi join recommendations as r using (rec_id)
where l.newest = 1
    and l.linked;

-- Each series (a measure and breakdown) in one kind of period, so that a trend compares like
-- with like: the kind the Board's own area has most figures in (then the most figures in
-- all; then the shortest). Each figure says whether it is of the series' own area (the own
-- area with most figures) or its comparator (national first, then the most similar group,
-- then another area, each with figures in that kind); other areas' figures are kept, with
-- no series_role, for the charts.
create view series_values as
with figures as (
    select v.measure_id, v.breakdown, v.area_id, a.name as area, a.role, v.period_kind,
        v.period_label, v.period_start, v.period_end, v.value, v.illustrative
    from measure_values_in_force as v
    join areas as a using (area_id)
    semi join measures as m using (measure_id)
),
kinds as (
    select measure_id, breakdown, period_kind,
        row_number() over (
            partition by measure_id, breakdown
            order by count(*) filter (where role = 'own') desc, count(*) desc,
                max(period_end - period_start), period_kind) as pick
    from figures
    group by measure_id, breakdown, period_kind
),
chosen as (
    select f.*
    from figures as f
    semi join kinds as k
        on k.measure_id = f.measure_id
        and k.breakdown = f.breakdown
        and k.period_kind = f.period_kind
        and k.pick = 1
),
by_area as (
    select measure_id, breakdown, area_id, role,
        row_number() over (
            partition by measure_id, breakdown, role = 'own'
            order by case role when 'own' then 0 when 'national' then 1 when 'similar' then 2
                else 3 end, count(*) desc, area_id) as pick
    from chosen
    group by measure_id, breakdown, area_id, role
)
select c.*,
    case
        when b.pick = 1 and c.role = 'own' then 'own'
        when b.pick = 1 then 'comparator'
    end as series_role
from chosen as c
join by_area as b using (measure_id, breakdown, area_id);

-- Which version of this schema the file holds (cjb_tracker.store.SCHEMA_VERSION): a file made
-- by an earlier version is upgraded by `cjb-tracker migrate`; one made by a later version is
-- refused with a sentence rather than half-read.
create table schema_version (version integer not null);
insert into schema_version values (7);

-- The schema's history: each version's step, when, by whom and by which release
-- (queries/migrations/; how: 'migrated' by cjb-tracker migrate, 'created' with the file).
create table schema_migrations (
    version integer primary key,
    name varchar not null,
    applied_at timestamptz not null default now(),
    applied_by varchar not null,
    app_version varchar not null,
    how varchar not null check (how in ('created', 'migrated'))
);
