-- name: platform_info
-- platforms: linux, darwin, windows
-- feeds: firmware
-- interval: 86400
-- description: BIOS/UEFI firmware vendor, version and release date (CUR-03).
SELECT vendor, version, date, revision, firmware_type
FROM platform_info;
