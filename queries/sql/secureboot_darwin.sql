-- name: secureboot_darwin
-- platforms: darwin
-- feeds: secure_boot
-- interval: 86400
-- description: Apple secure boot state and security mode (hidden columns) (MIN-04).
SELECT secure_boot, secure_mode, description
FROM secureboot;
