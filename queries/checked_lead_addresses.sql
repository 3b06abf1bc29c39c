-- The checked rows of a file of lead addresses (check_lead_addresses.sql), in file order.
select
    row_number,
    lead,
    email,
    raw_email,
    changes,
    lead_known
from checked_addresses
order by row_number;
