-- name: patches
-- platforms: windows
-- feeds: hotfixes
-- interval: 86400
-- description: Installed Windows hotfixes (Win32_QuickFixEngineering) with their install date text (CUR-01).
SELECT hotfix_id, description, installed_on, installed_by, caption
FROM patches;
