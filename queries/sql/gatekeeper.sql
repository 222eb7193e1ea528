-- name: gatekeeper
-- platforms: darwin
-- feeds: gatekeeper
-- interval: 86400
-- description: Gatekeeper assessment state (MIN-04).
SELECT assessments_enabled, dev_id_enabled
FROM gatekeeper;
