-- A file with a problem: the checked updates rows kept as a table (the view `checked` of
-- check_updates.sql read once), for problems_updates.sql and problems_updates_authority.sql,
-- which read them once per kind of problem, and for the write when only warnings are found.
create or replace temp table checked_rows as
select *
from checked;

create or replace temp view checked as
select *
from checked_rows;
