-- name: x_mon_journald
-- platforms: linux
-- feeds: files
-- interval: 3600
-- description: Where systemd-journald keeps the journal (MON-01): system.journal under /var/log/journal/<machine-id>
-- description: means persistent storage, only under /run/log/journal means volatile. journald.conf itself is not
-- description: readable through osquery (no augeas lens covers it), so the journal files are the evidence.
SELECT path, type, size, mtime, uid, mode
FROM file
WHERE path IN ('/var/log/journal', '/run/log/journal')
UNION ALL
SELECT path, type, size, mtime, uid, mode
FROM file
WHERE path LIKE '/var/log/journal/%/system.journal'
UNION ALL
SELECT path, type, size, mtime, uid, mode
FROM file
WHERE path LIKE '/run/log/journal/%/system.journal';
