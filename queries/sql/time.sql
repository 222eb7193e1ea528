-- name: time
-- platforms: linux, darwin, windows
-- feeds: clock
-- interval: 3600
-- description: The device's own clock, to age every timestamp against the device's notion of now.
SELECT unix_time, timezone
FROM time;
