-- name: rpm_packages
-- platforms: linux
-- feeds: packages:rpm
-- interval: 3600
-- description: RPM packages with epoch, release, vendor and install time (INV-03, MIN-02, CUR-01 newest install).
SELECT name, version, release, epoch, arch, vendor, install_time
FROM rpm_packages;
