-- name: x_cur_macos_updates
-- platforms: darwin
-- feeds: plist
-- interval: 86400
-- description: Software Update settings (AutomaticCheckEnabled, AutomaticDownload, CriticalUpdateInstall,
-- description: AutomaticallyInstallMacOSUpdates, last successful check) and the App Store's automatic app
-- description: updates (com.apple.commerce AutoUpdate) from the system preference files (CUR-01, CUR-02).
SELECT path, key, subkey, value
FROM plist
WHERE path IN (
  '/Library/Preferences/com.apple.SoftwareUpdate.plist',
  '/Library/Preferences/com.apple.commerce.plist'
);
