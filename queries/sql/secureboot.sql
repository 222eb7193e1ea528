-- name: secureboot
-- platforms: linux, windows
-- feeds: secure_boot
-- interval: 86400
-- description: UEFI Secure Boot and setup mode (MIN-04).
SELECT secure_boot, setup_mode
FROM secureboot;
