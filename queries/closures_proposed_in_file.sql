-- The closures a committed updates batch ($batch_id) proposes, one row per recommendation
-- (a file holds one row per recommendation and meeting): each is a closure-proposal event in
-- the audit trail. Read from the rows just written, in the batch's transaction.
select
    rec_id,
    meeting_id
from updates
where batch_id = $batch_id
    and status = 'Closure proposed'
order by rec_id;
