-- name: security_profile_info
-- platforms: windows
-- feeds: security_profile
-- interval: 3600
-- description: Local security policy as secedit exports it (SCE system profile): whether the built-in Administrator
-- description: (RID 500) and Guest accounts are enabled and their current names (CTL-02), password, lockout and audit
-- description: policy. osquery returns no row when the SCE call fails; -1 means the setting is not defined.
SELECT enable_admin_account, enable_guest_account, new_administrator_name, new_guest_name,
       minimum_password_length, minimum_password_age, maximum_password_age, password_complexity,
       password_history_size, lockout_bad_count, clear_text_password, lsa_anonymous_name_lookup,
       audit_system_events, audit_logon_events, audit_object_access, audit_privilege_use, audit_policy_change,
       audit_account_manage, audit_process_tracking, audit_ds_access, audit_account_logon
FROM security_profile_info;
