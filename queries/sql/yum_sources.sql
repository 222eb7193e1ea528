-- name: yum_sources
-- platforms: linux
-- feeds: repositories:yum
-- interval: 86400
-- description: yum/dnf repositories with their enabled flag (CUR-02: third-party sources).
SELECT name, source, baseurl, mirrorlist, metalink, enabled, gpgcheck
FROM yum_sources;
