-- Read every staged row of a file of lead addresses: the lead name and address as they will
-- be kept, whether the address is new for that name, and whether any recommendation has
-- that lead.
create or replace temp table checked_addresses as
select
    s.row_number,
    regexp_replace(clean_text(s.lead), '\s+', ' ', 'g') as lead,
    lower(clean_text(s.email)) as email,
    s.email as raw_email,
    a.email is distinct from lower(clean_text(s.email)) as changes,
    exists (
        select 1
        from recommendations as r
        where r.lead = regexp_replace(clean_text(s.lead), '\s+', ' ', 'g')
    ) as lead_known
from stage as s
left join lead_addresses as a
    on a.lead = regexp_replace(clean_text(s.lead), '\s+', ' ', 'g')
where not s.is_blank;
