-- name: x_cur_apt_periodic
-- platforms: linux
-- feeds: config_nodes
-- interval: 86400
-- description: APT periodic and unattended-upgrades settings (APT::Periodic::Unattended-Upgrade, APT::Periodic::Enable,
-- description: Unattended-Upgrade::Origins-Pattern and Allowed-Origins) read through augeas from the files
-- description: unattended-upgrades and its guides write (CUR-01 automatic updates, CUR-02 third-party coverage).
SELECT node, value, label, path
FROM augeas
WHERE path IN (
  '/etc/apt/apt.conf',
  '/etc/apt/apt.conf.d/02periodic',
  '/etc/apt/apt.conf.d/10periodic',
  '/etc/apt/apt.conf.d/20auto-upgrades',
  '/etc/apt/apt.conf.d/50unattended-upgrades',
  '/etc/apt/apt.conf.d/51unattended-upgrades-local',
  '/etc/apt/apt.conf.d/52unattended-upgrades-local'
);
