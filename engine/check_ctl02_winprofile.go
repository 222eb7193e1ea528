package engine

import (
	"fmt"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Windows part of CTL-02: the built-in Administrator and Guest accounts'
// enabled state from the local security policy (security_profile_info).
//
// An enabled built-in Administrator (RID 500) is a FAIL finding: CHECKS.md's
// "enabled RID-500 account -> FAIL". It is then also counted among the
// enabled administrators; a disabled one is not counted. An enabled built-in
// Guest (RID 501) is a FAIL finding too: it is the Windows counterpart of the
// Linux "empty password on a login account" rule (Guest ships without a
// password, and osquery cannot see whether one was set), and the CIS Windows
// benchmarks require "Accounts: Guest account status" to be Disabled.
// When the table did not answer (osquery gives no row when its SCE call
// fails) or a setting is not defined, the state is not visible: RID 500 keeps
// the PARTIAL "enabled state not visible" and the Guest state is listed as
// not checked.

// ctlSecProfileQuery is the catalogue query behind facts.SecurityProfile.
const ctlSecProfileQuery = "security_profile_info"

// ctlWinBuiltins is what the local security policy says about the built-in accounts.
type ctlWinBuiltins struct {
	// admin is the RID-500 account's enabled state; nil when not visible.
	admin *bool
	// adminWhy says why admin is nil.
	adminWhy string
}

// ctl02WinProfile grades the built-in Administrator and Guest from the
// security profile and returns the Administrator's state for the
// Administrators membership count.
func ctl02WinProfile(env *Env, c *ctl02) ctlWinBuiltins {
	sp := env.Facts.SecurityProfile
	if !sp.Known() {
		why := fmt.Sprintf("%s not collected: %s", ctlSecProfileQuery, orText(sp.Reason, "not in the facts document"))
		c.unknown.add("built-in Guest account enabled state: %s", why)
		return ctlWinBuiltins{adminWhy: why}
	}
	out := ctlWinBuiltins{admin: sp.AdminAccountEnabled}
	adminName := orText(sp.AdministratorName, "Administrator")
	switch a := sp.AdminAccountEnabled; {
	case a == nil:
		out.adminWhy = ctlSecProfileQuery + ".enable_admin_account is not defined"
	case *a:
		c.ev["builtin_administrator"] = map[string]any{"username": adminName, "enabled": true}
		c.fail("the built-in Administrator (RID 500, %q) is enabled", adminName)
	default:
		c.ev["builtin_administrator"] = map[string]any{"username": adminName, "enabled": false}
		c.passNotes = append(c.passNotes, "built-in Administrator disabled")
	}
	guestName := orText(sp.GuestName, "Guest")
	switch g := sp.GuestAccountEnabled; {
	case g == nil:
		c.ev["builtin_guest"] = map[string]any{"username": guestName, "enabled": "not defined in the security profile"}
		c.unknown.add("built-in Guest account enabled state: %s.enable_guest_account is not defined", ctlSecProfileQuery)
	case *g:
		c.ev["builtin_guest"] = map[string]any{"username": guestName, "enabled": true}
		c.fail("the built-in Guest account (RID 501, %q) is enabled", guestName)
	default:
		c.ev["builtin_guest"] = map[string]any{"username": guestName, "enabled": false}
		c.passNotes = append(c.passNotes, "Guest disabled")
	}
	return out
}

// ctlBuiltinAdminEvidence describes the RID-500 member of Administrators.
func ctlBuiltinAdminEvidence(u facts.User, b ctlWinBuiltins) map[string]any {
	ev := map[string]any{"username": u.Username, "sid": u.SID, "member_of_administrators": true}
	if b.admin != nil {
		ev["enabled"] = *b.admin
	} else {
		ev["enabled"] = "not visible to osquery (" + b.adminWhy + ")"
	}
	return ev
}
