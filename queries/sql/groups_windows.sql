-- name: groups_windows
-- platforms: windows
-- feeds: groups
-- interval: 3600
-- description: Windows local groups with their SID (group_sid, hidden column): Administrators is S-1-5-32-544 (CTL-02).
SELECT gid, groupname, group_sid, comment
FROM groups;
