-- name: users
-- platforms: linux, darwin
-- feeds: users
-- interval: 3600
-- description: Local accounts with uid, gid, shell and home (CTL-02: extra uid 0, login shells).
SELECT uid, gid, username, description, directory, shell, uuid
FROM users;
