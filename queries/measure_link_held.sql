-- The way the standing link of $rec_id to $measure_id ($breakdown) expects the series to
-- move (no row when there is no such link).
select expected
from measure_links
where rec_id = $rec_id
    and measure_id = $measure_id
    and breakdown = $breakdown;
