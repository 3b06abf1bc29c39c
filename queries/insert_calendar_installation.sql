-- Keep the id made for this database's calendar UIDs.
insert into server_secrets (name, value)
values ('calendar-uid', $value);
