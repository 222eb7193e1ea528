-- name: x_mon_rsyslog
-- platforms: linux
-- feeds: config_nodes
-- interval: 3600
-- description: Remote actions in /etc/rsyslog.conf, /etc/rsyslog.d/* and /etc/syslog.conf through augeas (MON-02):
-- description: legacy forwarding lines (protocol @ or @@ with hostname and port) and action(type="omfwd" target=...).
SELECT node, value, label, path
FROM augeas
WHERE path IN (
  SELECT path FROM file WHERE path IN ('/etc/rsyslog.conf', '/etc/syslog.conf')
  UNION
  SELECT path FROM file WHERE path LIKE '/etc/rsyslog.d/%'
)
AND label IN ('protocol', 'hostname', 'port', 'type', 'target');
