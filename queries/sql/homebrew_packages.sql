-- name: homebrew_packages
-- platforms: darwin
-- feeds: packages:homebrew
-- interval: 3600
-- description: Homebrew formulae and casks (INV-03; a third-party source for CUR-02).
SELECT name, version, type, path
FROM homebrew_packages;
