-- name: osquery_flags
-- platforms: linux, darwin, windows
-- feeds: osquery_flags
-- interval: 86400
-- description: Every osquery flag and its value: TLS enrollment, config and logger plugins show a
-- description: management server (INV-01, CTL-01) and where results go (MON-02).
SELECT name, value
FROM osquery_flags;
