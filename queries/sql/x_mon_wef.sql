-- name: x_mon_wef
-- platforms: windows
-- feeds: registry
-- interval: 3600
-- description: Windows Event Forwarding target subscription managers set by Group Policy (MON-02); forwarding
-- description: also needs the WinRM service running.
SELECT key, path, name, type, data
FROM registry
WHERE key = 'HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows\EventLog\EventForwarding\SubscriptionManager';
