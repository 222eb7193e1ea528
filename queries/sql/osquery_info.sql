-- name: osquery_info
-- platforms: linux, darwin, windows
-- feeds: osquery_info
-- interval: 3600
-- description: The osquery agent's version, start time and watchdog state (MON-03 telemetry evidence).
SELECT version, instance_id, build_platform, build_distro, start_time, watcher, config_valid, extensions
FROM osquery_info;
