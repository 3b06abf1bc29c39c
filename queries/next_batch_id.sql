-- The id of a new import batch (every batch: an upload, a rejection, a decision, the seed).
select nextval('batch_seq') as batch_id;
