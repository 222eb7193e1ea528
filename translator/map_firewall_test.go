package translator

import (
	"path/filepath"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

const (
	fwPolicy = `HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\WindowsFirewall\`
	fwLocal  = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\`
)

func fwRow(key, data string) queries.Row {
	return queries.Row{"key": key, "path": key + `\EnableFirewall`, "name": "EnableFirewall", "type": "REG_DWORD", "data": data}
}

func TestFirewallProfiles(t *testing.T) {
	tests := []struct {
		name string
		rows []queries.Row
		want []facts.FirewallProfile
	}{
		{"local only; StandardProfile is Private",
			[]queries.Row{fwRow(fwLocal+"DomainProfile", "1"), fwRow(fwLocal+"StandardProfile", "1"), fwRow(fwLocal+"PublicProfile", "0")},
			[]facts.FirewallProfile{{Profile: "Domain", Enabled: ptr(true), Source: "local"}, {Profile: "Private", Enabled: ptr(true), Source: "local"}, {Profile: "Public", Enabled: ptr(false), Source: "local"}}},
		{"policy wins over local",
			[]queries.Row{fwRow(fwLocal+"DomainProfile", "1"), fwRow(fwLocal+"StandardProfile", "1"), fwRow(fwLocal+"PublicProfile", "1"),
				fwRow(fwPolicy+"PublicProfile", "0"), fwRow(fwPolicy+"PrivateProfile", "1")},
			[]facts.FirewallProfile{{Profile: "Domain", Enabled: ptr(true), Source: "local"}, {Profile: "Private", Enabled: ptr(true), Source: "policy"}, {Profile: "Public", Enabled: ptr(false), Source: "policy"}}},
		{"missing profile is unknown; path-only rows are read",
			[]queries.Row{{"path": fwLocal + `PublicProfile\EnableFirewall`, "data": "1"}, fwRow(fwLocal+"StandardProfile", "2")},
			[]facts.FirewallProfile{{Profile: "Domain"}, {Profile: "Private", Source: "local"}, {Profile: "Public", Enabled: ptr(true), Source: "local"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := factsHost("ws").ok("os_version_windows", rowOSWindows).ok("firewall_profiles", tt.rows...).facts(t)
			got := d.Firewall.Profiles
			if got.State != facts.StateOK || len(got.Items) != 3 {
				t.Fatalf("profiles: %+v", got)
			}
			for i, w := range tt.want {
				g := got.Items[i]
				if g.Profile != w.Profile || g.Source != w.Source || showBool(g.Enabled) != showBool(w.Enabled) {
					t.Errorf("%s: got %s/%v/%q, want %s/%v/%q", w.Profile, g.Profile, showBool(g.Enabled), g.Source, w.Profile, showBool(w.Enabled), w.Source)
				}
			}
		})
	}
}

func TestUFWAndALF(t *testing.T) {
	ufw := func(value string) queries.Row {
		return queries.Row{"node": "/files/etc/ufw/ufw.conf/ENABLED", "label": "ENABLED", "value": value, "path": "/etc/ufw/ufw.conf"}
	}
	on := factsHost("u").ok("os_version", rowOSUbuntu).ok("firewall_ufw", ufw("yes")).facts(t)
	off := factsHost("u").ok("os_version", rowOSUbuntu).ok("firewall_ufw", ufw("no")).facts(t)
	none := factsHost("u").ok("os_version", rowOSUbuntu).ok("firewall_ufw").facts(t)
	if showBool(on.Firewall.UFWEnabled) != true || showBool(off.Firewall.UFWEnabled) != false || on.Firewall.UFWOrigin.State != facts.StateOK {
		t.Errorf("ufw yes/no: %v %v", showBool(on.Firewall.UFWEnabled), showBool(off.Firewall.UFWEnabled))
	}
	if none.Firewall.UFWEnabled != nil || none.Firewall.UFWOrigin.State != facts.StateUnknown {
		t.Errorf("no ENABLED row must be unknown, not off: %+v", none.Firewall.UFWOrigin)
	}

	rows := ndjsonRows(t, filepath.Join("..", "testdata", "samples", "macos", "it-compliance-alf.differential.ndjson"))
	mac := factsHost("m").ok("os_version", rowOSMac).ok("alf", rows...).facts(t)
	if !sameInt(mac.Firewall.ALFGlobalState, int64p(0)) || !sameInt(mac.Firewall.ALFStealth, int64p(0)) || mac.Firewall.ALFOrigin.State != facts.StateOK {
		t.Errorf("alf global_state \"0\" is a real off: %v %+v", showInt(mac.Firewall.ALFGlobalState), mac.Firewall.ALFOrigin)
	}
	if mac.Firewall.UFWOrigin.State != facts.StateNotApplicable || mac.Firewall.Iptables.State != facts.StateNotApplicable {
		t.Errorf("linux firewalls on macOS: %+v %+v", mac.Firewall.UFWOrigin, mac.Firewall.Iptables.Origin)
	}
}
