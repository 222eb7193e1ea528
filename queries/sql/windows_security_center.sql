-- name: windows_security_center
-- platforms: windows
-- feeds: security_center
-- interval: 3600
-- description: Windows Security Center health per area; every value "Error" on Server SKUs means unsupported (MON-03, MIN-03).
SELECT firewall, autoupdate, antivirus, antispyware, internet_settings, windows_security_center_service,
       user_account_control
FROM windows_security_center;
