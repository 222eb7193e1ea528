-- name: apps
-- platforms: darwin
-- feeds: packages:apps
-- interval: 3600
-- description: macOS application bundles with their bundle id and version (INV-03, MIN-02, CUR-02).
SELECT name, path, bundle_identifier, bundle_short_version, bundle_version
FROM apps;
