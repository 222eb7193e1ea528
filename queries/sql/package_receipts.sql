-- name: package_receipts
-- platforms: darwin
-- feeds: packages:package_receipts
-- interval: 3600
-- description: macOS installer package receipts with install time (INV-03; agents installed from .pkg files).
SELECT package_id, version, install_time, installer_name, location, path
FROM package_receipts;
