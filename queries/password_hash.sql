-- The bcrypt hash of user $username's password (null for a single sign-on account; no row
-- when there is no such user).
select password_hash
from users
where username = $username;
