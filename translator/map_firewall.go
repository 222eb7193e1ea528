package translator

import (
	"fmt"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// mapIptables fills Firewall.Iptables.
func mapIptables(d *facts.Document, f *feed) {
	var items []facts.IptablesRule
	if f.ok() {
		items = make([]facts.IptablesRule, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				items = append(items, facts.IptablesRule{
					Table:    text(r, "filter_name"),
					Chain:    text(r, "chain"),
					Policy:   text(r, "policy"),
					Target:   text(r, "target"),
					Protocol: f.intOf(p, r, "protocol"),
					DstPort:  text(r, "dst_port"),
				})
			}
		}
	}
	d.Firewall.Iptables = facts.Section[facts.IptablesRule]{Origin: f.done(), Items: items}
}

// mapALF fills the macOS application firewall state.
func mapALF(d *facts.Document, f *feed) {
	if p, r := f.firstRow(); r != nil {
		d.Firewall.ALFGlobalState = f.intOf(p, r, "global_state")
		d.Firewall.ALFStealth = f.intOf(p, r, "stealth_enabled")
	}
	d.Firewall.ALFOrigin = f.done()
}

// firewallProfiles are the three Windows profiles with the registry key names
// of their Group Policy (policy) and local (FirewallPolicy) settings.
var firewallProfiles = []struct {
	name   string
	policy []string // key suffixes under ...\Policies\Microsoft\WindowsFirewall
	local  string   // key suffix under ...\SharedAccess\Parameters\FirewallPolicy
}{
	{"Domain", []string{"domainprofile"}, "domainprofile"},
	{"Private", []string{"privateprofile", "standardprofile"}, "standardprofile"},
	{"Public", []string{"publicprofile"}, "publicprofile"},
}

// mapFirewallProfiles reads EnableFirewall per Windows profile. A Group
// Policy/MDM value wins over the local one (Source "policy"); without either
// the profile's state is unknown (nil) with a note.
func mapFirewallProfiles(d *facts.Document, f *feed) {
	var items []facts.FirewallProfile
	if f.ok() {
		policy := map[string]string{}
		local := map[string]string{}
		for _, p := range f.parts {
			for _, r := range p.rows {
				key, name := strings.ToLower(text(r, "key")), text(r, "name")
				if path := text(r, "path"); key == "" && path != "" { // a pack that selected only path
					if i := strings.LastIndexByte(path, '\\'); i > 0 {
						key, name = strings.ToLower(path[:i]), path[i+1:]
					}
				}
				if !strings.EqualFold(name, "EnableFirewall") {
					continue
				}
				leaf := key[strings.LastIndexByte(key, '\\')+1:]
				switch {
				case strings.Contains(key, `\policies\microsoft\windowsfirewall\`):
					policy[leaf] = text(r, "data")
				case strings.Contains(key, `\firewallpolicy\`):
					local[leaf] = text(r, "data")
				}
			}
		}
		for _, prof := range firewallProfiles {
			fp := facts.FirewallProfile{Profile: prof.name}
			var data string
			found := false
			for _, k := range prof.policy {
				if v, ok := policy[k]; ok {
					data, found, fp.Source = v, true, "policy"
					break
				}
			}
			if !found {
				if v, ok := local[prof.local]; ok {
					data, found, fp.Source = v, true, "local"
				}
			}
			switch {
			case !found:
				f.note(nil, fmt.Sprintf("no EnableFirewall value for the %s profile: state unknown", prof.name), "")
			case data == "1":
				fp.Enabled = ptr(true)
			case data == "0":
				fp.Enabled = ptr(false)
			default:
				f.note(nil, fmt.Sprintf("EnableFirewall of the %s profile is not 0 or 1: state unknown", prof.name), data)
			}
			items = append(items, fp)
		}
	}
	d.Firewall.Profiles = facts.Section[facts.FirewallProfile]{Origin: f.done(), Items: items}
}

// mapUFW reads ENABLED from /etc/ufw/ufw.conf (augeas). No such node means the
// file is absent or augeas could not parse it: unknown, not "off".
func mapUFW(d *facts.Document, f *feed) {
	var enabled *bool
	if f.ok() {
		var value string
		found := false
		for _, p := range f.parts {
			for _, r := range p.rows {
				if text(r, "label") == "ENABLED" || strings.HasSuffix(text(r, "node"), "/ENABLED") {
					value, found = strings.Trim(text(r, "value"), `"'`), true
				}
			}
		}
		switch {
		case !found:
			f.origin = facts.Origin{State: facts.StateUnknown, Queries: f.origin.Queries,
				Reason: "no ENABLED setting read from /etc/ufw/ufw.conf (ufw not installed, or augeas has no lens for the file)"}
		case strings.EqualFold(value, "yes"):
			enabled = ptr(true)
		case strings.EqualFold(value, "no"):
			enabled = ptr(false)
		default:
			f.note(nil, "ufw ENABLED is neither yes nor no: state unknown", value)
		}
	}
	d.Firewall.UFWEnabled = enabled
	d.Firewall.UFWOrigin = f.done()
}
