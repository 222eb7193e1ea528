-- name: services
-- platforms: windows
-- feeds: services:windows
-- interval: 3600
-- description: Windows services with status and start type (MON-01 EventLog, MON-03 EDR, MIN-01 legacy services).
SELECT name, display_name, status, start_type, path, pid, user_account
FROM services;
