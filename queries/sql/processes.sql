-- name: processes
-- platforms: linux, darwin, windows
-- feeds: processes
-- interval: 3600
-- description: Running processes (pid, name, path, command line only, to stay cheap): agents that are running now.
SELECT pid, name, path, cmdline
FROM processes;
