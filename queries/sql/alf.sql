-- name: alf
-- platforms: darwin
-- feeds: alf
-- interval: 3600
-- description: macOS application firewall state (MIN-03: global_state 1 or 2 is on).
SELECT global_state, stealth_enabled, logging_enabled, allow_signed_enabled, firewall_unload
FROM alf;
