-- name: sip_config
-- platforms: darwin
-- feeds: sip
-- interval: 86400
-- description: System Integrity Protection flags (MIN-04).
SELECT config_flag, enabled, enabled_nvram
FROM sip_config;
