-- name: x_cur_windows_version
-- platforms: windows
-- feeds: registry
-- interval: 86400
-- description: Windows edition, feature update and update build revision from the registry (EditionID,
-- description: DisplayVersion, CurrentBuildNumber, UBR, InstallationType) and the product type (WinNT, ServerNT,
-- description: LanmanNT); gives the SKU and servicing dates, and the revision where os_version lacks it (CUR-01).
SELECT key, path, name, type, data
FROM registry
WHERE path IN (
  'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\EditionID',
  'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\DisplayVersion',
  'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\CurrentBuildNumber',
  'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\UBR',
  'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\InstallationType',
  'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ProductOptions\ProductType'
);
