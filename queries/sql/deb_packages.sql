-- name: deb_packages
-- platforms: linux
-- feeds: packages:deb
-- interval: 3600
-- description: Debian packages with their dpkg status; installed means the last word of status is installed (INV-03, MIN-02, CUR-01).
SELECT name, version, arch, status, maintainer, source
FROM deb_packages;
