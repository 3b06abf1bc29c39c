-- Who can be reminded, and of what: each enabled user with an e-mail address and the lead
-- names and recommendations they answer for; and each lead name with an address set by the
-- chair (lead_addresses).
select
    email as address,
    display_name as name,
    lead_names,
    rec_ids,
    'user' as source
from users
where enabled
    and email is not null
    and (len(lead_names) > 0 or len(rec_ids) > 0)
union all
select
    email,
    lead,
    [lead],
    [],
    'lead address'
from lead_addresses
order by address, source;
