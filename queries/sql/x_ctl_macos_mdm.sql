-- name: x_ctl_macos_mdm
-- platforms: darwin
-- feeds: files
-- interval: 3600
-- description: CTL-01 macOS enrollment markers written by the configuration-profiles subsystem: an Automated Device
-- description: Enrollment (DEP) record was found / its enrollment profile was installed, and profiles are installed.
SELECT path, type, size, mtime, uid, mode FROM file WHERE path IN (
  '/var/db/ConfigurationProfiles/Settings/.cloudConfigRecordFound',
  '/var/db/ConfigurationProfiles/Settings/.cloudConfigProfileInstalled',
  '/var/db/ConfigurationProfiles/Settings/.profilesAreInstalled'
);
