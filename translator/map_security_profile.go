package translator

import (
	"fmt"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// sceAuditColumns are the audit policy columns of security_profile_info; the
// facts key is the column name without "audit_".
var sceAuditColumns = []string{
	"audit_system_events", "audit_logon_events", "audit_object_access", "audit_privilege_use",
	"audit_policy_change", "audit_account_manage", "audit_process_tracking", "audit_ds_access",
	"audit_account_logon",
}

// mapSecurityProfile fills d.SecurityProfile from security_profile_info.
// osquery gives no row when its SCE call fails: the section is then unknown.
// SCE writes -1 (SCE_NO_VALUE) for a setting the profile does not define,
// which is unknown, never "off" or 0.
func mapSecurityProfile(d *facts.Document, f *feed) {
	var sp facts.SecurityProfile
	if p, r := f.firstRow(); r != nil {
		sp.AdminAccountEnabled = sceFlag(f, p, r, "enable_admin_account")
		sp.GuestAccountEnabled = sceFlag(f, p, r, "enable_guest_account")
		sp.AdministratorName = text(r, "new_administrator_name")
		sp.GuestName = text(r, "new_guest_name")
		sp.MinPasswordLength = sceInt(f, p, r, "minimum_password_length")
		sp.MinPasswordAge = sceInt(f, p, r, "minimum_password_age")
		sp.MaxPasswordAge = sceInt(f, p, r, "maximum_password_age")
		sp.PasswordComplexity = sceFlag(f, p, r, "password_complexity")
		sp.PasswordHistorySize = sceInt(f, p, r, "password_history_size")
		sp.LockoutBadCount = sceInt(f, p, r, "lockout_bad_count")
		sp.ClearTextPassword = sceFlag(f, p, r, "clear_text_password")
		sp.LSAAnonymousNameLookup = sceFlag(f, p, r, "lsa_anonymous_name_lookup")
		for _, col := range sceAuditColumns {
			if has(r, col) {
				if sp.Audit == nil {
					sp.Audit = map[string]*int64{}
				}
				sp.Audit[strings.TrimPrefix(col, "audit_")] = sceInt(f, p, r, col)
			}
		}
	}
	sp.Origin = f.done()
	d.SecurityProfile = sp
}

// sceInt reads an SCE number: -1 (not defined) is nil with a note.
func sceInt(f *feed, p *part, r queries.Row, col string) *int64 {
	n := f.intOf(p, r, col)
	if n != nil && *n == -1 {
		f.note(p, fmt.Sprintf("%s.%s: -1 (not defined in the security profile), read as unknown", p.query, col), "")
		return nil
	}
	return n
}

// sceFlag reads an SCE on/off setting: 1 on, 0 off; -1 (not defined) and any
// other value are nil with a note.
func sceFlag(f *feed, p *part, r queries.Row, col string) *bool {
	n := sceInt(f, p, r, col)
	switch {
	case n == nil:
		return nil
	case *n == 1:
		return ptr(true)
	case *n == 0:
		return ptr(false)
	}
	f.note(p, fmt.Sprintf("%s.%s: %d is neither 0 nor 1, read as unknown", p.query, col, *n), "")
	return nil
}
