-- name: os_version
-- platforms: linux, darwin
-- feeds: os
-- interval: 86400
-- description: Operating system name, version and build on Linux and macOS; decides the OS family every check branches on.
SELECT name, version, major, minor, patch, build, platform, platform_like, codename, arch
FROM os_version;
