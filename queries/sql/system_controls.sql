-- name: system_controls
-- platforms: linux
-- feeds: sysctls
-- interval: 3600
-- description: The CIS benchmark kernel parameters, current and configured values (MIN-04).
SELECT name, current_value, config_value
FROM system_controls
WHERE name IN (
  'kernel.randomize_va_space',
  'kernel.kptr_restrict',
  'kernel.dmesg_restrict',
  'kernel.yama.ptrace_scope',
  'fs.suid_dumpable',
  'fs.protected_hardlinks',
  'fs.protected_symlinks',
  'net.ipv4.ip_forward',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.conf.all.rp_filter',
  'net.ipv4.conf.default.rp_filter',
  'net.ipv4.conf.all.accept_redirects',
  'net.ipv4.conf.default.accept_redirects',
  'net.ipv4.conf.all.secure_redirects',
  'net.ipv4.conf.default.secure_redirects',
  'net.ipv4.conf.all.send_redirects',
  'net.ipv4.conf.default.send_redirects',
  'net.ipv4.conf.all.accept_source_route',
  'net.ipv4.conf.default.accept_source_route',
  'net.ipv4.conf.all.log_martians',
  'net.ipv4.icmp_echo_ignore_broadcasts',
  'net.ipv4.icmp_ignore_bogus_error_responses',
  'net.ipv6.conf.all.accept_redirects',
  'net.ipv6.conf.default.accept_redirects',
  'net.ipv6.conf.all.accept_ra',
  'net.ipv6.conf.all.forwarding'
);
