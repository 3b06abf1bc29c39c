-- Whether problems_updates.sql or problems_updates_authority.sql would find anything (an
-- error or a warning) in the checked updates rows: one read of the narrow columns of the
-- view `checked` (check_updates.sql), where those two files read it once per kind of
-- problem. Only when this is true are the rows kept and every problem worked out, with its
-- row, column and message. Each condition below is the `where` of one part of those two
-- files, in their order: keep them in step (tests/test_ingest.py provokes each one).
select
    coalesce(bool_or(
        -- problems_updates.sql
        (c.rec_id is null and not list_contains($missing, 'recommendation_id'))
        or (c.rec_id is not null and not c.rec_known)
        or (c.raw_meeting_date is null and not list_contains($missing, 'meeting_date'))
        or (c.raw_meeting_date is not null and c.meeting_date is null)
        or not c.body_known
        or (c.meeting_date is not null and c.body_known and c.meeting_id is null)
        or (c.status is null and not list_contains($missing, 'status'))
        or (c.rag is null and coalesce(trim(c.raw_rag), '') <> '')
        or (c.rag is not null and c.status in ('Complete', 'Superseded'))
        or (coalesce(trim(c.raw_revised_due), '') <> '' and c.revised_due is null)
        or (c.revised_due is not null and c.revision_reason is null)
        or c.revised_due < c.meeting_date
        -- problems_updates_authority.sql
        or (c.status = 'Closure proposed' and c.evidence is null)
        or ($is_lead and c.rec_known and not (
            list_contains(cast($lead_names as varchar[]), r.lead)
            or list_contains(cast($rec_ids as varchar[]), c.rec_id)))
        or ($is_lead and c.status in ('Complete', 'Superseded'))
        or (c.status in ('Not started', 'In progress', 'Awaiting national action',
                'Closure proposed')
            and c.meeting_date >= closed.closed_on)
    ), false)
    -- problems_updates.sql, its last part: a recommendation twice for one meeting. Counted
    -- by a hash of the pair, which is cheaper to count than the pair: two pairs that share
    -- a hash look like a duplicate, and only cost the detailed check, which finds none.
    or count(hash(c.rec_id, c.meeting_id)) filter (
        where c.rec_id is not null and c.meeting_id is not null)
        > count(distinct hash(c.rec_id, c.meeting_id)) filter (
            where c.rec_id is not null and c.meeting_id is not null) as any_problem
from checked as c
left join (select rec_id, lead from recommendations where $is_lead) as r
    on r.rec_id = c.rec_id
left join (
    select s.rec_id, m.held_on as closed_on
    from current_status as s
    join meetings as m
        on m.meeting_id = s.last_meeting_id
    where s.status in ('Complete', 'Superseded')
) as closed
    on closed.rec_id = c.rec_id;
