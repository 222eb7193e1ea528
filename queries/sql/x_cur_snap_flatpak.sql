-- name: x_cur_snap_flatpak
-- platforms: linux
-- feeds: files
-- interval: 86400
-- description: Installed snaps (/var/lib/snapd/snaps/*.snap) and system-wide flatpak apps (/var/lib/flatpak/app/*),
-- description: software from sources outside the distribution's archives that osquery has no table for (CUR-02).
SELECT path, type, size, mtime, uid, mode
FROM file
WHERE directory IN ('/var/lib/snapd/snaps', '/var/lib/flatpak/app');
