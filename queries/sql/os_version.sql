-- name: os_version
-- platforms: linux, darwin, windows
-- feeds: os
-- interval: 86400
-- description: Operating system name, version and build; decides the OS family every check branches on.
SELECT * FROM os_version;
