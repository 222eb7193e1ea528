-- name: x_ctl_macos_root
-- platforms: darwin
-- feeds: plist
-- interval: 3600
-- description: CTL-02 whether the macOS root account is enabled: passwd and authentication_authority of the local
-- description: directory record (a ShadowHash authority means root has a password). Only these two keys are
-- description: returned; the password hash (ShadowHashData) is never selected.
SELECT path, key, subkey, value FROM plist
 WHERE path = '/var/db/dslocal/nodes/Default/users/root.plist'
   AND key IN ('passwd', 'authentication_authority');
