-- name: groups
-- platforms: linux, darwin
-- feeds: groups
-- interval: 3600
-- description: Local groups (CTL-02: sudo, wheel, admin, gid 80 on macOS).
SELECT gid, groupname
FROM groups;
