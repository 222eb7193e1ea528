-- name: x_mon_rsyslog
-- platforms: linux
-- feeds: config_nodes
-- interval: 3600
-- description: Remote actions in /etc/rsyslog.conf, /etc/rsyslog.d/* and /etc/syslog.conf through augeas (MON-02):
-- description: legacy forwarding lines (protocol @ or @@ with hostname and port) and action(type="omfwd" target=...).
-- description: The file table lists the files so augeas gets one path equality per file (CROSS JOIN keeps file outer).
SELECT a.node, a.value, a.label, a.path
FROM file AS f CROSS JOIN augeas AS a
WHERE f.path IN ('/etc/rsyslog.conf', '/etc/syslog.conf')
  AND a.path = f.path
  AND a.label IN ('protocol', 'hostname', 'port', 'type', 'target')
UNION ALL
SELECT a.node, a.value, a.label, a.path
FROM file AS f CROSS JOIN augeas AS a
WHERE f.path LIKE '/etc/rsyslog.d/%'
  AND a.path = f.path
  AND a.label IN ('protocol', 'hostname', 'port', 'type', 'target');
