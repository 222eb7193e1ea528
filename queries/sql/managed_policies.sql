-- name: managed_policies
-- platforms: darwin
-- feeds: managed_policies
-- interval: 3600
-- description: MDM-delivered preferences (CTL-01 MDM enrollment evidence, CUR-01 automatic updates).
SELECT domain, name, value, username
FROM managed_policies;
