-- name: x_ctl_lastrun_windows
-- platforms: windows
-- feeds: registry
-- interval: 3600
-- description: CTL-04 Windows enforcement recency: start and end time (FILETIME split in startTimeHi/Lo and
-- description: endTimeHi/Lo) of the last machine Group Policy processing (Extension-List {00000000-...} = the core
-- description: GP engine), and the last successful MDM (OMA-DM) session of each enrollment.
SELECT key, path, name, type, data FROM registry
 WHERE key = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Group Policy\State\Machine\Extension-List\{00000000-0000-0000-0000-000000000000}'
UNION ALL
SELECT key, path, name, type, data FROM registry
 WHERE path LIKE 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Provisioning\OMADM\Accounts\%\Protected\ConnInfo\ServerLastSuccessTime';
