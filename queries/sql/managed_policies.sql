-- name: managed_policies
-- platforms: darwin
-- feeds: managed_policies
-- interval: 3600
-- description: Preferences from installed configuration profiles (CTL-01 MDM enrollment evidence, CUR-01 automatic
-- description: updates); manual = 1 marks a profile installed by hand, not delivered by MDM.
SELECT domain, name, value, username, manual
FROM managed_policies;
