-- name: x_ctl_windows_mdm
-- platforms: windows
-- feeds: registry
-- interval: 3600
-- description: CTL-01 Windows management channel: ProviderID, EnrollmentState, UPN and discovery URL of every
-- description: MDM enrollment (HKLM\SOFTWARE\Microsoft\Enrollments\<id>), and the Group Policy machine state key,
-- description: whose Distinguished-Name is written when domain Group Policy was processed (domain join).
SELECT key, path, name, type, data FROM registry
 WHERE path LIKE 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments\%\ProviderID'
UNION ALL
SELECT key, path, name, type, data FROM registry
 WHERE path LIKE 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments\%\EnrollmentState'
UNION ALL
SELECT key, path, name, type, data FROM registry
 WHERE path LIKE 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments\%\UPN'
UNION ALL
SELECT key, path, name, type, data FROM registry
 WHERE path LIKE 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments\%\DiscoveryServiceFullURL'
UNION ALL
SELECT key, path, name, type, data FROM registry
 WHERE key = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Group Policy\State\Machine';
