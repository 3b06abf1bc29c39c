-- The key that signs session cookies (no row when the database has none yet).
select value
from server_secrets
where name = 'session-cookie';
