package translator

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// secProfileRow is a security_profile_info row as osquery 5.23.1 gives it on
// a hardened Windows 11 host; mod changes columns ("" deletes one).
func secProfileRow(mod map[string]string) queries.Row {
	r := queries.Row{
		"enable_admin_account": "0", "enable_guest_account": "0", "new_administrator_name": "Administrator",
		"new_guest_name": "Guest", "minimum_password_length": "14", "minimum_password_age": "1",
		"maximum_password_age": "60", "password_complexity": "1", "password_history_size": "24",
		"lockout_bad_count": "5", "clear_text_password": "0", "lsa_anonymous_name_lookup": "0",
		"audit_system_events": "3", "audit_logon_events": "3", "audit_object_access": "0",
		"audit_privilege_use": "2", "audit_policy_change": "1", "audit_account_manage": "3",
		"audit_process_tracking": "0", "audit_ds_access": "0", "audit_account_logon": "3",
	}
	for k, v := range mod {
		if v == "" {
			delete(r, k)
		} else {
			r[k] = v
		}
	}
	return r
}

func TestSecurityProfile(t *testing.T) {
	tests := []struct {
		name                string
		rows                []queries.Row // nil with fail set: the query failed
		fail                string
		state               facts.State
		reason              string
		admin, guest        any // showBool values
		minLen, lockout     any // showInt values
		adminName, note     string
		auditLogon, auditDS any
	}{
		{name: "both disabled", rows: []queries.Row{secProfileRow(nil)}, state: facts.StateOK,
			admin: false, guest: false, minLen: int64(14), lockout: int64(5), adminName: "Administrator",
			auditLogon: int64(3), auditDS: int64(0)},
		{name: "renamed administrator enabled", rows: []queries.Row{secProfileRow(map[string]string{
			"enable_admin_account": "1", "new_administrator_name": "localroot "})}, state: facts.StateOK,
			admin: true, guest: false, minLen: int64(14), lockout: int64(5), adminName: "localroot",
			auditLogon: int64(3), auditDS: int64(0)},
		{name: "guest enabled, no lockout", rows: []queries.Row{secProfileRow(map[string]string{
			"enable_guest_account": "1", "lockout_bad_count": "0"})}, state: facts.StateOK,
			admin: false, guest: true, minLen: int64(14), lockout: int64(0), adminName: "Administrator",
			auditLogon: int64(3), auditDS: int64(0)},
		{name: "-1 is not defined, never off or 0", rows: []queries.Row{secProfileRow(map[string]string{
			"enable_admin_account": "-1", "minimum_password_length": "-1", "audit_account_logon": "-1"})}, state: facts.StateOK,
			admin: nil, guest: false, minLen: nil, lockout: int64(5), adminName: "Administrator",
			note: "security_profile_info.enable_admin_account: -1 (not defined in the security profile)", auditLogon: nil, auditDS: int64(0)},
		{name: "flag other than 0 or 1 is unknown", rows: []queries.Row{secProfileRow(map[string]string{"enable_guest_account": "2"})},
			state: facts.StateOK, admin: false, guest: nil, minLen: int64(14), lockout: int64(5), adminName: "Administrator",
			note: "enable_guest_account: 2 is neither 0 nor 1", auditLogon: int64(3), auditDS: int64(0)},
		{name: "NULL columns are unknown", rows: []queries.Row{secProfileRow(map[string]string{
			"enable_admin_account": "", "audit_ds_access": ""})}, state: facts.StateOK,
			admin: nil, guest: false, minLen: int64(14), lockout: int64(5), adminName: "Administrator",
			auditLogon: int64(3), auditDS: nil},
		{name: "no row when the SCE call fails", rows: []queries.Row{}, state: facts.StateUnknown,
			reason: "security_profile_info answered with no rows"},
		{name: "query failed", fail: "no such table: security_profile_info", state: facts.StateUnknown,
			reason: "security_profile_info: no such table: security_profile_info"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := factsHost("ws").ok("os_version_windows", rowOSWindows)
			if tt.fail != "" {
				b.fail("security_profile_info", tt.fail)
			} else {
				b.ok("security_profile_info", tt.rows...)
			}
			sp := b.facts(t).SecurityProfile
			if sp.State != tt.state || sp.Reason != tt.reason {
				t.Fatalf("origin %+v, want state %s reason %q", sp.Origin, tt.state, tt.reason)
			}
			if showBool(sp.AdminAccountEnabled) != tt.admin || showBool(sp.GuestAccountEnabled) != tt.guest {
				t.Errorf("admin %v guest %v, want %v %v", showBool(sp.AdminAccountEnabled), showBool(sp.GuestAccountEnabled), tt.admin, tt.guest)
			}
			if showInt(sp.MinPasswordLength) != tt.minLen || showInt(sp.LockoutBadCount) != tt.lockout || sp.AdministratorName != tt.adminName {
				t.Errorf("min length %v lockout %v admin name %q, want %v %v %q",
					showInt(sp.MinPasswordLength), showInt(sp.LockoutBadCount), sp.AdministratorName, tt.minLen, tt.lockout, tt.adminName)
			}
			if tt.note != "" && !containsNote(sp.Notes, tt.note) {
				t.Errorf("notes %q lack %q", sp.Notes, tt.note)
			}
			if tt.state != facts.StateOK {
				if sp.Audit != nil {
					t.Errorf("audit of an unknown section: %v", sp.Audit)
				}
				return
			}
			if showInt(sp.Audit["account_logon"]) != tt.auditLogon || showInt(sp.Audit["ds_access"]) != tt.auditDS {
				t.Errorf("audit account_logon %v ds_access %v, want %v %v",
					showInt(sp.Audit["account_logon"]), showInt(sp.Audit["ds_access"]), tt.auditLogon, tt.auditDS)
			}
			// A NULL column is left out; every other category is present.
			wantLen := len(sceAuditColumns)
			if tt.name == "NULL columns are unknown" {
				wantLen--
			}
			if len(sp.Audit) != wantLen {
				t.Errorf("audit has %d categories, want %d: %v", len(sp.Audit), wantLen, sp.Audit)
			}
		})
	}
}

// TestSecurityProfile_NotOnOtherPlatforms: security_profile_info is a
// Windows table; on Linux the section is not applicable, not unknown.
func TestSecurityProfile_NotOnOtherPlatforms(t *testing.T) {
	d := factsHost("web").ok("os_version", rowOSUbuntu).facts(t)
	if d.SecurityProfile.State != facts.StateNotApplicable || d.Queries["security_profile_info"].State != facts.StateNotApplicable {
		t.Errorf("linux security profile: %+v, query %+v", d.SecurityProfile.Origin, d.Queries["security_profile_info"])
	}
}

func TestManagedPolicies_Manual(t *testing.T) {
	d := factsHost("m").ok("os_version", rowOSMac).
		ok("managed_policies",
			queries.Row{"domain": "com.apple.SoftwareUpdate", "name": "AutomaticCheckEnabled", "value": "1", "username": "", "manual": "0"},
			queries.Row{"domain": "com.example.wifi", "name": "SSID", "value": "corp", "username": "", "manual": "1"},
			queries.Row{"domain": "com.apple.screensaver", "name": "askForPassword", "value": "1", "username": "jdoe"}).
		facts(t)
	want := []any{false, true, nil}
	if len(d.ManagedPolicies.Items) != len(want) {
		t.Fatalf("managed policies: %+v", d.ManagedPolicies.Items)
	}
	for i, w := range want {
		if got := showBool(d.ManagedPolicies.Items[i].Manual); got != w {
			t.Errorf("%s: manual %v, want %v", d.ManagedPolicies.Items[i].Domain, got, w)
		}
	}
	if d.ManagedPolicies.Items[2].Username != "jdoe" {
		t.Errorf("username: %+v", d.ManagedPolicies.Items[2])
	}
}
