-- name: x_min_windows_baseline
-- platforms: windows
-- feeds: registry
-- interval: 3600
-- description: MIN-04 Windows hardening values of the baseline sample (data/baseline.yaml): UAC, SMBv1 server,
-- description: AutoRun, LAN Manager authentication level, Defender real-time protection (policy key first, then local).
-- description: An absent value returns no row and is graded with its Windows default.
SELECT key, path, name, type, data FROM registry WHERE path IN (
  'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\EnableLUA',
  'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters\SMB1',
  'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\Explorer\NoDriveTypeAutoRun',
  'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa\LmCompatibilityLevel',
  'HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Defender\Real-Time Protection\DisableRealtimeMonitoring',
  'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Real-Time Protection\DisableRealtimeMonitoring'
);
