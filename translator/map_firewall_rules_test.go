package translator

import (
	"reflect"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

func TestFirewallRules(t *testing.T) {
	smb := queries.Row{"name": "File and Printer Sharing (SMB-In)", "protocol": "TCP", "local_ports": "445", "remote_addresses": "LocalSubnet",
		"profile_domain": "0", "profile_private": "1", "profile_public": "0", "app_name": "System", "service_name": ""}
	// A pack that selected every rule: the disabled, outbound and Block rows are dropped.
	packRow := func(name, action, dir, enabled string) queries.Row {
		return queries.Row{"name": name, "action": action, "direction": dir, "enabled": enabled, "protocol": "TCP", "local_ports": "3389",
			"remote_addresses": "*", "profile_domain": "1", "profile_private": "1", "profile_public": "1"}
	}
	noProfiles := queries.Row{"name": "No profiles", "protocol": "Any", "local_ports": "*"}
	d := factsHost("ws").ok("os_version_windows", rowOSWindows).ok("windows_firewall_rules", smb,
		packRow("RDP (TCP-In)", "Allow", "In", "1"), packRow("RDP off", "Allow", "In", "0"),
		packRow("RDP out", "Allow", "Out", "1"), packRow("RDP block", "Block", "In", "1"), noProfiles).facts(t)
	got := d.Firewall.InboundAllow
	want := []facts.FirewallRule{
		{Name: "File and Printer Sharing (SMB-In)", Protocol: "TCP", LocalPorts: "445", RemoteAddresses: "LocalSubnet", Profiles: []string{"Private"}, App: "System"},
		{Name: "RDP (TCP-In)", Protocol: "TCP", LocalPorts: "3389", RemoteAddresses: "*", Profiles: []string{"Domain", "Private", "Public"}},
		{Name: "No profiles", Protocol: "Any", LocalPorts: "*"},
	}
	if got.State != facts.StateOK || !reflect.DeepEqual(got.Items, want) {
		t.Fatalf("inbound allow:\n got %+v (%s)\nwant %+v", got.Items, got.State, want)
	}
	if len(got.Notes) != 1 {
		t.Errorf("notes: %v, want one about the rule without profile columns", got.Notes)
	}

	missing := factsHost("ws").ok("os_version_windows", rowOSWindows).facts(t).Firewall.InboundAllow
	if missing.Known() || missing.Reason == "" {
		t.Errorf("rules not collected: %+v, want unknown with a reason", missing.Origin)
	}
}
