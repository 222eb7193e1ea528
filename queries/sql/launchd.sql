-- name: launchd
-- platforms: darwin
-- feeds: services:launchd
-- interval: 3600
-- description: LaunchDaemons and LaunchAgents with their load-time keys (agents and legacy services on macOS).
SELECT name, label, path, program, program_arguments, run_at_load, keep_alive, disabled
FROM launchd;
