-- name: system_info
-- platforms: linux, darwin, windows
-- feeds: hardware
-- interval: 86400
-- description: Hardware vendor, model, serial, UUID and host names (INV-02; binds inventory and attestation records).
SELECT hostname, computer_name, local_hostname, uuid, hardware_vendor, hardware_model, hardware_version,
       hardware_serial, board_vendor, board_model, board_serial
FROM system_info;
