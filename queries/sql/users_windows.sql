-- name: users_windows
-- platforms: windows
-- feeds: users
-- interval: 3600
-- description: Windows accounts with their SID (uuid) and type (local, roaming, special; hidden column) for CTL-02 (RID 500).
SELECT uid, gid, username, description, directory, shell, uuid, type
FROM users;
