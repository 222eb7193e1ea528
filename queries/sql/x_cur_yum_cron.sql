-- name: x_cur_yum_cron
-- platforms: linux
-- feeds: config_nodes
-- interval: 86400
-- description: yum-cron settings (commands apply_updates and update_cmd) read through augeas from
-- description: /etc/yum/yum-cron.conf (CUR-01 whether yum-cron installs updates, CUR-02 whether it covers every repository).
SELECT node, value, label, path
FROM augeas
WHERE path = '/etc/yum/yum-cron.conf';
