-- Record every checked row of a file of lead addresses (temp table checked_addresses) that
-- changes an address, from file $source, by $recorded_by.
insert into lead_address_records (record_id, lead, email, source, recorded_by)
select nextval('lead_address_seq'), lead, email, $source, $recorded_by
from checked_addresses
where changes
order by row_number;
