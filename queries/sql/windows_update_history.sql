-- name: windows_update_history
-- platforms: windows
-- feeds: update_history
-- interval: 86400
-- description: Windows Update history with unix dates and result codes (CUR-01 newest installed update).
SELECT date, title, operation, result_code, update_id
FROM windows_update_history;
