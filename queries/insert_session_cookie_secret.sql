-- Keep $value as the key that signs session cookies.
insert into server_secrets (name, value)
values ('session-cookie', $value);
