-- name: windows_firewall_rules
-- platforms: windows
-- feeds: firewall_rules
-- interval: 3600
-- description: Enabled inbound Allow rules of Windows Defender Firewall: what opens a listening port to the network
-- description: while every profile is on (MIN-03). Block and outbound rules are left out.
SELECT name, protocol, local_ports, remote_addresses, profile_domain, profile_private, profile_public,
       app_name, service_name
FROM windows_firewall_rules
WHERE enabled = 1 AND action = 'Allow' AND direction = 'In';
