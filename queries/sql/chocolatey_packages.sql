-- name: chocolatey_packages
-- platforms: windows
-- feeds: packages:chocolatey
-- interval: 3600
-- description: Chocolatey packages (INV-03; a third-party source and updater for CUR-02).
SELECT name, version, author, path
FROM chocolatey_packages;
