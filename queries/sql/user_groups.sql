-- name: user_groups
-- platforms: linux, darwin, windows
-- feeds: memberships
-- interval: 3600
-- description: Which user belongs to which group (CTL-02 admin group size).
SELECT uid, gid
FROM user_groups;
