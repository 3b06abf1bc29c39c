-- Users as they stand (the latest record of each), by username; only the one named
-- $username, or the one with the email $email, when given (each null for all).
select
    username,
    display_name,
    role,
    email,
    lead_names,
    rec_ids,
    enabled,
    illustrative
from users
where ($username is null or username = $username)
    and ($email is null or email = $email)
order by username;
