-- The values each shared filter offers: reports, bodies, addressees and leads.
select 'report' as filter, report_code as value
from reports
union all
select 'body', body
from bodies
union all
select distinct 'addressee', addressee
from recommendation_addressees
union all
select distinct 'lead', lead
from recommendations
where lead is not null
order by filter, value;
