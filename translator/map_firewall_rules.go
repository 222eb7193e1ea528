package translator

import (
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// firewallRuleProfiles are the windows_firewall_rules profile columns with the
// profile names the engine uses.
var firewallRuleProfiles = []struct{ col, name string }{
	{"profile_domain", "Domain"},
	{"profile_private", "Private"},
	{"profile_public", "Public"},
}

// mapFirewallRules fills Firewall.InboundAllow from windows_firewall_rules.
// The catalogue query selects only enabled inbound Allow rules; rows of a
// pack that selected every rule are filtered here by the same columns when
// they carry them. A rule none of whose profile columns was reported keeps
// Profiles nil (unknown), with a note.
func mapFirewallRules(d *facts.Document, f *feed) {
	var items []facts.FirewallRule
	if f.ok() {
		items = make([]facts.FirewallRule, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				if !firewallRuleInboundAllow(f, p, r) {
					continue
				}
				fr := facts.FirewallRule{
					Name:            text(r, "name"),
					Protocol:        text(r, "protocol"),
					LocalPorts:      text(r, "local_ports"),
					RemoteAddresses: text(r, "remote_addresses"),
					App:             text(r, "app_name"),
					Service:         text(r, "service_name"),
				}
				reported := false
				for _, pc := range firewallRuleProfiles {
					v := f.flag(p, r, pc.col)
					if v == nil {
						continue
					}
					reported = true
					if *v {
						fr.Profiles = append(fr.Profiles, pc.name)
					}
				}
				switch {
				case !reported:
					f.note(p, p.query+": a rule without profile columns applies to an unknown set of profiles", fr.Name)
				case fr.Profiles == nil:
					fr.Profiles = []string{}
				}
				items = append(items, fr)
			}
		}
	}
	d.Firewall.InboundAllow = facts.Section[facts.FirewallRule]{Origin: f.done(), Items: items}
}

// firewallRuleInboundAllow reports whether a row is an enabled inbound Allow
// rule; a column the row does not carry does not exclude it.
func firewallRuleInboundAllow(f *feed, p *part, r queries.Row) bool {
	if e := f.flag(p, r, "enabled"); e != nil && !*e {
		return false
	}
	if has(r, "action") && !strings.EqualFold(text(r, "action"), "Allow") {
		return false
	}
	return !has(r, "direction") || strings.EqualFold(text(r, "direction"), "In")
}
