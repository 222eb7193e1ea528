-- name: systemd_units
-- platforms: linux
-- feeds: services:systemd
-- interval: 3600
-- description: Every systemd unit with its load, active and unit-file (enablement) state, so legacy services
-- description: are seen whether running or only enabled (MON-01, MON-04, CTL-01, MIN-01, CUR-01 timers).
SELECT id, load_state, active_state, sub_state, unit_file_state, fragment_path
FROM systemd_units;
