-- name: listening_ports_linux
-- platforms: linux
-- feeds: listening_ports
-- interval: 3600
-- description: Listening network sockets with their network namespace and owning process (MIN-03): listeners in
-- description: another namespace than pid 1 belong to containers; unix sockets left out.
SELECT lp.pid, lp.port, lp.protocol, lp.family, lp.address, lp.net_namespace,
       p.name AS process_name, p.path AS process_path
FROM listening_ports AS lp
LEFT JOIN processes AS p ON p.pid = lp.pid
WHERE lp.family != 1;
