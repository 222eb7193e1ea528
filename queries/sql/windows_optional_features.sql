-- name: windows_optional_features
-- platforms: windows
-- feeds: optional_features
-- interval: 86400
-- description: Windows optional features and their state, 1 = enabled (MIN-02: SMB1, Telnet, TFTP, IIS FTP).
SELECT name, state, statename
FROM windows_optional_features;
