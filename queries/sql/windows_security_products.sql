-- name: windows_security_products
-- platforms: windows
-- feeds: security_products
-- interval: 3600
-- description: Registered antivirus, antispyware and firewall products with state and signature freshness (MON-03).
SELECT type, name, state, signatures_up_to_date
FROM windows_security_products;
