-- Record lead $lead's address $email (null: removed), from $source, by $recorded_by.
insert into lead_address_records (record_id, lead, email, source, recorded_by)
values (nextval('lead_address_seq'), $lead, $email, $source, $recorded_by);
