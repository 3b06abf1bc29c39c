-- The chair and secretariat who receive escalations: enabled chair accounts with an address.
select
    email as address,
    display_name as name
from users
where enabled
    and role = 'chair'
    and email is not null
order by email;
