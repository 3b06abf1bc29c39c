-- How many recommendations addressed to each addressee stand at each status as at $as_at;
-- local addressees first, then national.
select
    a.scope,
    a.addressee,
    s.status,
    count(*) as recommendations
from status_as_at($as_at) as s
join recommendation_addressees as a
    using (rec_id)
join statuses as st
    on st.status = s.status
where ($report is null or s.report_code = $report)
    and ($body is null or s.body = $body)
    and ($lead is null or s.lead = $lead)
    and ($addressee is null or a.addressee = $addressee)
group by a.scope, a.addressee, s.status, st.sort_order
order by a.scope, a.addressee, st.sort_order;
