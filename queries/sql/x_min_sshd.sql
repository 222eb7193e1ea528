-- name: x_min_sshd
-- platforms: linux
-- feeds: config_nodes
-- interval: 3600
-- description: MIN-04 OpenSSH server settings read with augeas from /etc/ssh/sshd_config and the drop-in files of
-- description: /etc/ssh/sshd_config.d (PermitRootLogin, PasswordAuthentication, Include, Match blocks).
SELECT node, value, label, path FROM augeas WHERE path = '/etc/ssh/sshd_config'
UNION ALL
SELECT node, value, label, path FROM augeas WHERE node LIKE '/files/etc/ssh/sshd_config.d/%';
