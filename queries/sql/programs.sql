-- name: programs
-- platforms: windows
-- feeds: packages:programs
-- interval: 3600
-- description: Windows installed programs with publisher, install date and product code (INV-03, MIN-02, CUR-02).
SELECT name, version, publisher, install_date, identifying_number, install_location
FROM programs;
