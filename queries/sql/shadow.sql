-- name: shadow
-- platforms: linux
-- feeds: shadow
-- interval: 3600
-- description: Password status per account from /etc/shadow, never the hash (CTL-02: root locked, empty passwords).
SELECT username, password_status, hash_alg, last_change
FROM shadow;
