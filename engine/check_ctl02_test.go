package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// ctlLinuxAccounts is a well-kept Debian host: root locked, one admin in sudo.
func ctlLinuxAccounts(extra ...ctlOpt) *facts.Document {
	opts := []ctlOpt{
		ctlUsers(ctlUser("root", 0, 0, "/bin/bash", ""), ctlUser("daemon", 1, 1, "/usr/sbin/nologin", ""),
			ctlUser("alice", 1000, 1000, "/bin/bash", ""), ctlUser("bob", 1001, 1001, "/bin/bash", "")),
		ctlGroups(ctlGroup("root", 0, ""), ctlGroup("sudo", 27, ""), ctlGroup("users", 100, "")),
		ctlMembers(1000, 27, 1000, 1000, 1001, 100),
		ctlShadow("root", "locked", "daemon", "locked", "alice", "active", "bob", "active"),
		ctlSudo("root", "ALL=(ALL:ALL) ALL"), ctlSudo("%sudo", "ALL=(ALL:ALL) ALL"),
	}
	return ctlDoc("linux", append(opts, extra...)...)
}

func TestCTL02_Linux(t *testing.T) {
	ctlRun(t, checkCTL02, []ctlCase{
		{name: "restricted", want: Pass, doc: ctlLinuxAccounts(),
			detail: []string{"root password locked", "1 administrator(s), policy allows 3"}, ev: []string{`"admins":["alice"]`}},
		{name: "root not_set is fine", want: Pass, doc: ctlLinuxAccounts(func(d *facts.Document) { d.Shadow.Items[0].PasswordStatus = "not_set" })},
		{name: "root with usable password", want: Fail,
			doc: ctlLinuxAccounts(func(d *facts.Document) { d.Shadow.Items[0].PasswordStatus = "active" }), detail: []string{"root has a usable password"}},
		{name: "extra uid 0", want: Fail, doc: ctlLinuxAccounts(ctlUsers(ctlUser("toor", 0, 0, "/bin/sh", ""))),
			detail: []string{"extra uid 0 account(s): toor"}},
		{name: "empty password on login account", want: Fail,
			doc:    ctlLinuxAccounts(ctlUsers(ctlUser("guest", 1002, 1002, "/bin/bash", "")), ctlShadow("guest", "empty")),
			detail: []string{"empty password on login account(s): guest"}},
		{name: "empty password on nologin account is not a login", want: Pass,
			doc: ctlLinuxAccounts(ctlUsers(ctlUser("svc", 998, 998, "/usr/sbin/nologin", "")), ctlShadow("svc", "empty"))},
		{name: "NOPASSWD ALL for %sudo", want: Partial, doc: ctlLinuxAccounts(ctlSudo("%sudo", "ALL=(ALL:ALL) NOPASSWD: ALL")),
			detail: []string{"sudoers grants NOPASSWD: ALL to %sudo"}},
		{name: "NOPASSWD ALL for ALL with tag list", want: Partial, doc: ctlLinuxAccounts(ctlSudo("ALL", "ALL=(ALL) NOPASSWD:SETENV: ALL")),
			detail: []string{"NOPASSWD: ALL to ALL"}},
		{name: "NOPASSWD for one command is fine", want: Pass,
			doc: ctlLinuxAccounts(ctlSudo("%wheel", "ALL=(root) NOPASSWD: /usr/bin/systemctl restart nginx"))},
		{name: "PASSWD resets NOPASSWD before ALL", want: Pass,
			doc: ctlLinuxAccounts(ctlSudo("%wheel", "ALL=(root) NOPASSWD: /usr/bin/true, PASSWD: ALL"))},
		{name: "single account NOPASSWD listed, not graded", want: Pass,
			doc: ctlLinuxAccounts(ctlSudo("ubuntu", "ALL=(ALL) NOPASSWD:ALL")), ev: []string{`"nopasswd_all_accounts":[{"principal":"ubuntu"`}},
		{name: "too many admins", want: Partial,
			doc: ctlLinuxAccounts(ctlUsers(ctlUser("c", 1002, 1002, "/bin/bash", ""), ctlUser("d", 1003, 1003, "/bin/bash", ""),
				ctlUser("e", 1004, 10, "/bin/bash", "")), ctlGroups(ctlGroup("wheel", 10, "")), ctlMembers(1001, 27, 1002, 27, 1003, 27)),
			detail: []string{"5 administrators (alice, bob, c, d, e), policy allows 3"}},
		{name: "max_admins from policy", want: Partial, doc: ctlLinuxAccounts(),
			pol: func(p *policy.Policy) { p.Thresholds.MaxAdmins = 0 }, detail: []string{"1 administrators (alice), policy allows 0"}},
		{name: "shadow unreadable without root", want: Unknown,
			doc:    ctlLinuxAccounts(func(d *facts.Document) { d.Shadow.Items = nil }),
			detail: []string{"shadow returned no rows"}},
		{name: "shadow failed but extra uid 0 still fails", want: Fail,
			doc: ctlLinuxAccounts(ctlUsers(ctlUser("toor", 0, 0, "/bin/sh", "")),
				func(d *facts.Document) { d.Shadow.Origin = ctlMissing("shadow: permission denied") })},
		{name: "sudoers not collected", want: Unknown,
			doc:    ctlLinuxAccounts(func(d *facts.Document) { d.Sudoers.Origin = ctlMissing("sudoers: not run") }),
			detail: []string{"sudoers not collected: sudoers: not run"}},
	})
}

// ctlWinAccounts builds a Windows host whose Administrators group carries the
// given name; the group named "Administrators" with another SID is a decoy.
func ctlWinAccounts(adminGroupName string, members ...int64) *facts.Document {
	machine := "S-1-5-21-1111111111-2222222222-3333333333"
	opts := []ctlOpt{
		ctlUsers(ctlUser("Administrator", 500, 513, "", machine+"-500"), ctlUser("Gast", 501, 513, "", machine+"-501"),
			ctlUser("max", 1001, 513, "", machine+"-1001"), ctlUser("eva", 1002, 513, "", machine+"-1002"),
			ctlUser("jan", 1003, 513, "", machine+"-1003"), ctlUser("ute", 1004, 513, "", machine+"-1004")),
		ctlGroups(ctlGroup(adminGroupName, 544, "S-1-5-32-544"), ctlGroup("Benutzer", 545, "S-1-5-32-545")),
	}
	for _, m := range members {
		opts = append(opts, ctlMembers(m, 544))
	}
	return ctlDoc("windows", opts...)
}

// ctlSecProfile sets the security profile (security_profile_info) with the
// built-in Administrator and Guest enabled states (nil = not defined).
func ctlSecProfile(admin, guest *bool) ctlOpt {
	return func(d *facts.Document) {
		d.SecurityProfile = facts.SecurityProfile{Origin: ctlOK("security_profile_info"),
			AdminAccountEnabled: admin, GuestAccountEnabled: guest, AdministratorName: "Administrator", GuestName: "Gast"}
	}
}

// ctlWinProfiled is ctlWinAccounts with the security profile set.
func ctlWinProfiled(admin, guest *bool, members ...int64) *facts.Document {
	d := ctlWinAccounts("Administrators", members...)
	ctlSecProfile(admin, guest)(d)
	return d
}

// TestCTL02_WindowsBuiltinAccounts grades the built-in Administrator (RID 500)
// and Guest (RID 501) from security_profile_info.
func TestCTL02_WindowsBuiltinAccounts(t *testing.T) {
	on, off := ctlB(true), ctlB(false)
	ctlRun(t, checkCTL02, []ctlCase{
		{name: "RID 500 enabled fails and counts as an admin", want: Fail, doc: ctlWinProfiled(on, off, 500, 1001),
			detail:    []string{`the built-in Administrator (RID 500, "Administrator") is enabled`},
			notDetail: []string{"cannot see"},
			ev: []string{`"builtin_administrator":{"enabled":true,"member_of_administrators":true,"sid":"S-1-5-21-1111111111-2222222222-3333333333-500","username":"Administrator"}`,
				`"admins":["Administrator","max"]`, `"admin_count":2`}},
		{name: "RID 500 disabled is not counted", want: Pass, doc: ctlWinProfiled(off, off, 500, 1001),
			detail: []string{"built-in Administrator disabled", "Guest disabled", "1 administrator(s), policy allows 3"},
			ev:     []string{`"builtin_administrator":{"enabled":false,"member_of_administrators":true`, `"admins":["max"]`}},
		{name: "RID 500 disabled with four other admins is over policy", want: Partial, doc: ctlWinProfiled(off, off, 500, 1001, 1002, 1003, 1004),
			detail: []string{"4 administrators (eva, jan, max, ute), policy allows 3"}, notDetail: []string{"Administrator,"}},
		{name: "renamed RID 500 enabled, named by the profile", want: Fail,
			doc: func() *facts.Document {
				d := ctlWinProfiled(on, off, 500)
				d.Users.Items[0].Username = "localroot"
				d.SecurityProfile.AdministratorName = "localroot"
				return d
			}(), detail: []string{`RID 500, "localroot") is enabled`}, ev: []string{`"admins":["localroot"]`}},
		{name: "RID 500 enabled fails even when groups were not collected", want: Fail,
			doc: func() *facts.Document {
				d := ctlWinProfiled(on, off, 500)
				d.Groups.Origin = ctlMissing("groups_windows: timeout")
				return d
			}(), detail: []string{"is enabled"}},
		{name: "Guest enabled fails", want: Fail, doc: ctlWinProfiled(off, on, 500, 1001),
			detail: []string{`the built-in Guest account (RID 501, "Gast") is enabled`},
			ev:     []string{`"builtin_guest":{"enabled":true,"username":"Gast"}`}},
		{name: "Administrator not defined in the profile keeps PARTIAL", want: Partial, doc: ctlWinProfiled(nil, off, 500, 1001),
			detail: []string{"cannot see whether it is disabled"},
			ev:     []string{`"enabled":"not visible to osquery (security_profile_info.enable_admin_account is not defined)"`, `"admins":["max"]`}},
		{name: "Guest not defined is not checked", want: Unknown, doc: ctlWinProfiled(off, nil, 500, 1001),
			detail: []string{"enable_guest_account is not defined"}},
		{name: "profile query failed, RID 500 not a member: Guest unchecked", want: Unknown,
			doc: func() *facts.Document {
				d := ctlWinAccounts("Administrators", 1001)
				d.SecurityProfile.Origin = facts.Origin{State: facts.StateUnknown, Queries: []string{"security_profile_info"},
					Reason: "security_profile_info answered with no rows"}
				return d
			}(), detail: []string{"security_profile_info not collected: security_profile_info answered with no rows"}},
	})
}

func TestCTL02_Windows(t *testing.T) {
	decoy := ctlWinAccounts("Administratoren", 1001)
	// A local group literally named "Administrators" that is not S-1-5-32-544:
	// if names were used, its four members and RID 500 would count.
	decoy.Groups.Items = append(decoy.Groups.Items, ctlGroup("Administrators", 1010, "S-1-5-21-1111111111-2222222222-3333333333-1010"))
	for _, uid := range []int64{500, 1002, 1003, 1004} {
		decoy.Memberships.Items = append(decoy.Memberships.Items, facts.Membership{UID: ctlI(uid), GID: ctlI(1010)})
	}
	ctlSecProfile(ctlB(false), ctlB(false))(decoy)
	ctlRun(t, checkCTL02, []ctlCase{
		{name: "German Administratoren found by SID", want: Pass, doc: decoy,
			detail: []string{"1 administrator(s), policy allows 3", "Guest disabled"},
			ev:     []string{`"administrators_group":{"gid":544,"name":"Administratoren","sid":"S-1-5-32-544"}`, `"admins":["max"]`}},
		{name: "RID 500 member: enabled state not visible", want: Partial, doc: ctlWinAccounts("Administrators", 500, 1001),
			detail: []string{`built-in Administrator (RID 500, "Administrator")`, "cannot see whether it is disabled",
				"not checked: built-in Guest account enabled state: security_profile_info not collected"},
			ev: []string{`"enabled":"not visible to osquery (security_profile_info not collected`, `"admins":["max"]`}},
		{name: "renamed RID 500 is still RID 500", want: Partial,
			doc: func() *facts.Document {
				d := ctlWinAccounts("Administrators", 500)
				d.Users.Items[0].Username = "localroot"
				return d
			}(), detail: []string{`RID 500, "localroot"`}},
		{name: "four admins over policy", want: Partial, doc: ctlWinAccounts("Administrators", 1001, 1002, 1003, 1004),
			detail: []string{"4 administrators (eva, jan, max, ute), policy allows 3"}},
		{name: "no group with the SID", want: Unknown,
			doc: func() *facts.Document {
				d := ctlWinAccounts("Administrators", 1001)
				d.Groups.Items[0].SID = ""
				return d
			}(), detail: []string{"no group with SID S-1-5-32-544"}},
		{name: "memberships not collected", want: Unknown,
			doc: func() *facts.Document {
				d := ctlWinAccounts("Administrators", 1001)
				d.Memberships.Origin = ctlMissing("user_groups: timeout")
				return d
			}(), detail: []string{"user_groups: timeout"}},
	})
}

// ctlMacAccounts is a Mac with one admin and root disabled.
func ctlMacAccounts(extra ...ctlOpt) *facts.Document {
	opts := []ctlOpt{
		ctlUsers(ctlUser("root", 0, 0, "/bin/sh", ""), ctlUser("_mbsetupuser", 248, 248, "/bin/bash", ""),
			ctlUser("anna", 501, 20, "/bin/zsh", ""), ctlUser("ben", 502, 20, "/bin/zsh", "")),
		ctlGroups(ctlGroup("admin", 80, ""), ctlGroup("staff", 20, "")),
		ctlMembers(0, 80, 248, 80, 501, 80, 501, 20, 502, 20),
		func(d *facts.Document) {
			d.Plist.Items = []facts.PlistValue{{Path: ctlMacRootPath, Key: "passwd", Subkey: "0", Value: "*"}}
		},
	}
	return ctlDoc("darwin", append(opts, extra...)...)
}

func TestCTL02_Darwin(t *testing.T) {
	ctlRun(t, checkCTL02, []ctlCase{
		{name: "one admin, root disabled", want: Pass, doc: ctlMacAccounts(),
			detail: []string{"root disabled", "1 administrator(s)"}, ev: []string{`"admins":["anna"]`, `"root_account":"disabled (no password)"`}},
		{name: "root enabled", want: Fail,
			doc: ctlMacAccounts(func(d *facts.Document) {
				d.Plist.Items = []facts.PlistValue{
					{Path: ctlMacRootPath, Key: "passwd", Subkey: "0", Value: "********"},
					{Path: ctlMacRootPath, Key: "authentication_authority", Subkey: "0", Value: ";ShadowHash;HASHLIST:<SALTED-SHA512-PBKDF2>"},
				}
			}), detail: []string{"the root account is enabled"}},
		{name: "root record not visible", want: Unknown,
			doc:    ctlMacAccounts(func(d *facts.Document) { d.Plist.Items = nil }),
			detail: []string{"root.plist was not readable"}},
		{name: "root plist query failed", want: Unknown,
			doc:    ctlMacAccounts(ctlQueryFailed("x_ctl_macos_root", "plist: not run")),
			detail: []string{"x_ctl_macos_root"}},
		{name: "four admins", want: Partial,
			doc: ctlMacAccounts(ctlUsers(ctlUser("cem", 503, 20, "/bin/zsh", ""), ctlUser("dora", 504, 20, "/bin/zsh", "")),
				ctlMembers(502, 80, 503, 80, 504, 80)),
			detail: []string{"4 administrators (anna, ben, cem, dora)"}},
	})
}

func TestCTL02_SudoersParsing(t *testing.T) {
	for _, c := range []struct {
		details string
		want    bool
	}{
		{"ALL=(ALL:ALL) NOPASSWD: ALL", true},
		{"ALL=(ALL) NOPASSWD:ALL", true},
		{"ALL = (ALL) NOPASSWD: SETENV: ALL", true},
		{"ALL=(ALL:ALL) ALL", false},
		{"ALL=(root) NOPASSWD: /usr/bin/apt", false},
		{"ALL=(root) NOPASSWD: /usr/bin/apt, ALL", true},
		{"ALL=(root) NOPASSWD: /usr/bin/apt, PASSWD: ALL", false},
		{"ALL=(ALL) NOPASSWD: ALLOW_ME", false},
	} {
		if got := ctlNopasswdAll(c.details); got != c.want {
			t.Errorf("ctlNopasswdAll(%q) = %v, want %v", c.details, got, c.want)
		}
	}
}
