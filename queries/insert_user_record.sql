-- A new record of a user (an account added or changed): user records are append-only, and
-- the users view shows the latest of each.
insert into user_records (
    record_id, username, display_name, email, role, password_hash, enabled, lead_names,
    rec_ids, illustrative, recorded_by
)
values (
    nextval('user_record_seq'), $username, $display_name, $email, $role, $password_hash,
    $enabled, $lead_names, $rec_ids, $illustrative, $recorded_by
);
