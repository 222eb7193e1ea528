-- name: listening_ports
-- platforms: darwin, windows
-- feeds: listening_ports
-- interval: 3600
-- description: Listening network sockets with the owning process name and path (MIN-03); unix sockets left out.
SELECT lp.pid, lp.port, lp.protocol, lp.family, lp.address,
       p.name AS process_name, p.path AS process_path
FROM listening_ports AS lp
LEFT JOIN processes AS p ON p.pid = lp.pid
WHERE lp.family != 1;
