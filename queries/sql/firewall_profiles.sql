-- name: firewall_profiles
-- platforms: windows
-- feeds: firewall_profiles
-- interval: 3600
-- description: Windows Defender Firewall EnableFirewall per profile, from the Group Policy/MDM keys
-- description: (which win) and the local FirewallPolicy keys (MIN-03).
SELECT key, path, name, type, data
FROM registry
WHERE key IN (
  'HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\WindowsFirewall\DomainProfile',
  'HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\WindowsFirewall\PrivateProfile',
  'HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\WindowsFirewall\PublicProfile',
  'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\DomainProfile',
  'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\StandardProfile',
  'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\PublicProfile'
) AND name = 'EnableFirewall';
