-- name: sharing_preferences
-- platforms: darwin
-- feeds: sharing
-- interval: 3600
-- description: macOS sharing services: remote login, screen and file sharing, remote Apple events ... (MIN-01).
SELECT screen_sharing, file_sharing, printer_sharing, remote_login, remote_management, remote_apple_events,
       internet_sharing, bluetooth_sharing, disc_sharing, content_caching
FROM sharing_preferences;
