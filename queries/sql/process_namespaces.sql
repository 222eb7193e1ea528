-- name: process_namespaces
-- platforms: linux
-- feeds: host_net_namespace
-- interval: 3600
-- description: The network namespace of pid 1, which tells host listeners from container ones (MIN-03).
SELECT net_namespace
FROM process_namespaces
WHERE pid = 1;
