-- name: sudoers
-- platforms: linux, darwin
-- feeds: sudoers
-- interval: 3600
-- description: sudoers rules (CTL-02: NOPASSWD ALL for broad groups).
SELECT source, header, rule_details
FROM sudoers;
