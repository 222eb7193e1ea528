-- name: x_cur_stamps
-- platforms: linux
-- feeds: files
-- interval: 3600
-- description: Modification times of the package managers' state files and logs (dpkg status, apt history and
-- description: unattended-upgrades stamps, dnf/yum/zypper logs) that show when packages last changed (CUR-01).
SELECT path, type, size, mtime, uid, mode
FROM file
WHERE path IN (
  '/var/lib/dpkg/status',
  '/var/log/apt/history.log',
  '/var/lib/apt/periodic/upgrade-stamp',
  '/var/lib/apt/periodic/unattended-upgrades-stamp',
  '/var/log/dnf.rpm.log',
  '/var/log/yum.log',
  '/var/log/zypp/history'
);
