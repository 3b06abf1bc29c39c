-- The values the audit trail's filters offer: everyone who did something, and every
-- outcome there has been (the actions are a fixed list: audit.ACTIONS).
select distinct 'actor' as filter, actor as value
from audit_events
union all
select distinct 'outcome', outcome
from audit_events
order by filter, value;
