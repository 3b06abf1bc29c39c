-- The measure $measure_id as defined (no row when it is not held).
select measure_id, name, unit, better, description, source, stage, illustrative
from measures
where measure_id = $measure_id;
