-- name: os_version_windows
-- platforms: windows
-- feeds: os
-- interval: 86400
-- description: Windows name, version, build and update revision (UBR, hidden column) and install date;
-- description: the build and revision give the product (Windows 10/11, Server) and its patch level.
SELECT name, version, major, minor, patch, build, revision, platform, platform_like, codename, arch, install_date
FROM os_version;
