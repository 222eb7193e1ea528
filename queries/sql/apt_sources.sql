-- name: apt_sources
-- platforms: linux
-- feeds: repositories:apt
-- interval: 86400
-- description: APT repositories (CUR-02: third-party sources outside the distribution's archives).
SELECT name, source, base_uri, release, components, maintainer
FROM apt_sources;
