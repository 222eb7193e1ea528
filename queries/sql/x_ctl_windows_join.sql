-- name: x_ctl_windows_join
-- platforms: windows
-- feeds: registry
-- interval: 3600
-- description: CTL-03 Entra ID (Azure AD) join on Windows: tenant id, user and identity-provider domain of each
-- description: HKLM\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo\<thumbprint> key (Entra and hybrid
-- description: join), and the tenant display name.
SELECT key, path, name, type, data FROM registry
 WHERE path LIKE 'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo\%\TenantId'
UNION ALL
SELECT key, path, name, type, data FROM registry
 WHERE path LIKE 'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo\%\UserEmail'
UNION ALL
SELECT key, path, name, type, data FROM registry
 WHERE path LIKE 'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo\%\IdpDomain'
UNION ALL
SELECT key, path, name, type, data FROM registry
 WHERE path LIKE 'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\TenantInfo\%\DisplayName';
