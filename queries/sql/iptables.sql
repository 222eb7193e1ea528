-- name: iptables
-- platforms: linux
-- feeds: iptables
-- interval: 3600
-- description: iptables filter rules and chain policies (MIN-03: INPUT default DROP/REJECT).
SELECT filter_name, chain, policy, target, protocol, dst_port
FROM iptables;
