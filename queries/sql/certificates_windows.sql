-- name: certificates_windows
-- platforms: windows
-- feeds: certificates
-- interval: 86400
-- description: Certificates in every Windows certificate store, with the store, location and owner (hidden
-- description: columns) so machine and user identity certificates are told apart from roots (CUR-04).
SELECT common_name, subject, issuer, ca, self_signed, not_valid_before, not_valid_after,
       signing_algorithm, key_algorithm, key_strength, sha1, path, serial,
       store, store_location, username, sid
FROM certificates;
