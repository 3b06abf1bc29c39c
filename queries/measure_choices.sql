-- Every series a recommendation may be linked to: each measure as a whole, and with each
-- breakdown its figures are given in; by name.
select measure_id, '' as breakdown, name
from measures
union
select distinct v.measure_id, v.breakdown, m.name
from measure_values_in_force as v
join measures as m
    using (measure_id)
order by name, breakdown;
