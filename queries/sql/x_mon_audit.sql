-- name: x_mon_audit
-- platforms: windows
-- feeds: registry
-- interval: 3600
-- description: Process-creation auditing with command lines (MON-04): ProcessCreationIncludeCmdLine_Enabled from the
-- description: Group Policy audit key, which makes Security event 4688 carry each new process's command line.
SELECT key, path, name, type, data
FROM registry
WHERE key = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\Audit'
AND name = 'ProcessCreationIncludeCmdLine_Enabled';
