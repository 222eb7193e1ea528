-- name: firewall_ufw
-- platforms: linux
-- feeds: firewall_ufw
-- interval: 3600
-- description: ufw's ENABLED setting read from /etc/ufw/ufw.conf through augeas (MIN-03).
SELECT node, value, label, path
FROM augeas
WHERE path = '/etc/ufw/ufw.conf' AND label = 'ENABLED';
