-- name: certificates
-- platforms: linux, darwin
-- feeds: certificates
-- interval: 86400
-- description: Certificates in the system CA bundles and keychains with validity, key and signature (CUR-04).
SELECT common_name, subject, issuer, ca, self_signed, not_valid_before, not_valid_after,
       signing_algorithm, key_algorithm, key_strength, sha1, path, serial
FROM certificates;
