package translator

import (
	"github.com/miccmac/miccmac-osq/engine/facts"
)

// mapManagedPolicies fills d.ManagedPolicies (macOS configuration-profile
// preferences); Manual stays nil when the manual column was not selected.
func mapManagedPolicies(d *facts.Document, f *feed) {
	var items []facts.ManagedPolicy
	if f.ok() {
		items = make([]facts.ManagedPolicy, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.ManagedPolicy{
					Domain:   text(r, "domain"),
					Name:     text(r, "name"),
					Value:    r["value"],
					Username: text(r, "username"),
					Manual:   f.flag(p, r, "manual"),
				})
			}
		}
	}
	d.ManagedPolicies = facts.Section[facts.ManagedPolicy]{Origin: f.done(), Items: items}
}

// mapSIP fills d.SIP from sip_config.
func mapSIP(d *facts.Document, f *feed) {
	var items []facts.SIPFlag
	if f.ok() {
		items = make([]facts.SIPFlag, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.SIPFlag{Flag: text(r, "config_flag"), Enabled: f.flag(p, r, "enabled")})
			}
		}
	}
	d.SIP = facts.Section[facts.SIPFlag]{Origin: f.done(), Items: items}
}

// mapGatekeeper fills d.Gatekeeper.
func mapGatekeeper(d *facts.Document, f *feed) {
	var g facts.Gatekeeper
	if p, r := f.firstRow(); r != nil {
		g.AssessmentsEnabled = f.flag(p, r, "assessments_enabled")
		g.DevIDEnabled = f.flag(p, r, "dev_id_enabled")
	}
	g.Origin = f.done()
	d.Gatekeeper = g
}

// mapSharing fills d.Sharing: every column of sharing_preferences, by name.
func mapSharing(d *facts.Document, f *feed) {
	var s facts.Sharing
	if p, r := f.firstRow(); r != nil {
		s.Values = make(map[string]*int64, len(r))
		for col := range r {
			s.Values[col] = f.intOf(p, r, col)
		}
	}
	s.Origin = f.done()
	d.Sharing = s
}

// mapSecureBoot fills d.SecureBoot (UEFI on Linux/Windows, Apple secure boot
// on macOS).
func mapSecureBoot(d *facts.Document, f *feed) {
	var sb facts.SecureBoot
	if p, r := f.firstRow(); r != nil {
		sb.Enabled = f.flag(p, r, "secure_boot")
		sb.SetupMode = f.flag(p, r, "setup_mode")
		sb.SecureMode = f.intOf(p, r, "secure_mode")
		sb.Description = text(r, "description")
	}
	sb.Origin = f.done()
	d.SecureBoot = sb
}
