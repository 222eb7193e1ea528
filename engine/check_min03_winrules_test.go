package engine

import (
	"reflect"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

func TestMIN03_WindowsInboundRules(t *testing.T) {
	on := func(name string) facts.FirewallProfile {
		return facts.FirewallProfile{Profile: name, Enabled: ctlB(true), Source: "local"}
	}
	allOn := func(d *facts.Document) {
		d.Firewall.Profiles.Items = []facts.FirewallProfile{on("Domain"), on("Private"), on("Public")}
	}
	publicOff := func(d *facts.Document) {
		d.Firewall.Profiles.Items = []facts.FirewallProfile{on("Domain"), on("Private"),
			{Profile: "Public", Enabled: ctlB(false), Source: "local"}}
	}
	all := []string{"Domain", "Private", "Public"}
	rule := func(name, proto, ports string, profiles []string) facts.FirewallRule {
		return facts.FirewallRule{Name: name, Protocol: proto, LocalPorts: ports, RemoteAddresses: "*", Profiles: profiles}
	}
	rules := func(rs ...facts.FirewallRule) ctlOpt {
		return func(d *facts.Document) {
			d.Firewall.InboundAllow = facts.Section[facts.FirewallRule]{Origin: ctlOK("windows_firewall_rules"), Items: rs}
		}
	}
	stock := minListeners(minLP(135, 6, "0.0.0.0", "svchost.exe"), minLP(445, 6, "0.0.0.0", "System"),
		minLP(139, 6, "10.40.12.87", "System"), minLP(49664, 6, "0.0.0.0", "lsass.exe"),
		minLP(5353, 17, "0.0.0.0", "svchost.exe"), minLP(5040, 6, "127.0.0.1", "svchost.exe"))
	smb := rule("File and Printer Sharing (SMB-In)", "TCP", "445", all)
	smb.App = "System"
	rdp := rule("Remote Desktop - User Mode (TCP-In)", "TCP", "3389", all)
	rdp.App = `%SystemRoot%\system32\svchost.exe`
	rdpLn := minListeners(minLP(3389, 6, "0.0.0.0", "svchost.exe"))
	ctlRun(t, checkMIN03, []ctlCase{
		{name: "rules not collected: every non-loopback listener counts", want: Partial, doc: ctlDoc("windows", allOn, stock),
			detail: []string{"5 unexpected service(s)", "135/tcp", "445/tcp", "139/tcp", "49664/tcp", "5353/udp",
				"The firewall's inbound rules were not collected (no windows_firewall_rules result), so every listener on a non-loopback address counts as exposed."},
			notDetail: []string{"5040/tcp"}},
		{name: "rules query failed: every non-loopback listener counts", want: Partial,
			doc: ctlDoc("windows", allOn, stock, func(d *facts.Document) {
				d.Firewall.InboundAllow.Origin = ctlMissing("windows_firewall_rules: no such table")
			}),
			detail: []string{"5 unexpected service(s)", "inbound rules were not collected (windows_firewall_rules: no such table)"},
			ev:     []string{`"firewall_rules":"windows_firewall_rules not collected: windows_firewall_rules: no such table"`}},
		{name: "rules known, only core networking: nothing opened", want: Pass,
			doc: ctlDoc("windows", allOn, stock, rules(rule("Core Networking - Dynamic Host Configuration Protocol (DHCP-In)", "UDP", "68", all),
				rule("Core Networking - Destination Unreachable (ICMPv6-In)", "", "", all))),
			detail: []string{"no listener is exposed", "5 service(s) listening on the network are not opened by any enabled inbound Allow rule"},
			ev:     []string{`"not_opened_by_firewall":[{"port":135`, `"exposed_unexpected":[]`}},
		{name: "SMB-In opens 445 only", want: Partial, doc: ctlDoc("windows", allOn, stock, rules(smb)),
			detail:    []string{"1 unexpected service(s) listen on the network: 445/tcp (System).", "4 service(s)"},
			notDetail: []string{"135/tcp", "139/tcp", "49664/tcp"},
			ev:        []string{`"opened_by":["File and Printer Sharing (SMB-In)"]`}},
		{name: "port list opens 135 and 139", want: Partial, doc: ctlDoc("windows", allOn, stock, rules(rule("NetBIOS and EPM", "TCP", "135,139", all))),
			detail: []string{"2 unexpected service(s) listen on the network: 135/tcp (svchost.exe), 139/tcp (System)."}},
		{name: "range opens the dynamic RPC port", want: Partial, doc: ctlDoc("windows", allOn, stock, rules(rule("Dyn", "TCP", "49152-65535", all))),
			detail: []string{"1 unexpected service(s) listen on the network: 49664/tcp (lsass.exe)."}},
		{name: "RPC is the dynamic range, RPC-EPMap is 135", want: Partial,
			doc:    ctlDoc("windows", allOn, stock, rules(rule("RPC Dynamic", "TCP", "RPC", all), rule("RPC EPMAP", "TCP", "RPC-EPMap", all))),
			detail: []string{"2 unexpected service(s) listen on the network: 135/tcp (svchost.exe), 49664/tcp (lsass.exe)."}},
		{name: "Any protocol and Any port open everything", want: Partial, doc: ctlDoc("windows", allOn, stock, rules(rule("Open all", "Any", "Any", all))),
			detail: []string{"5 unexpected service(s)"}},
		{name: "UDP rule does not open a TCP port", want: Pass, doc: ctlDoc("windows", allOn, stock, rules(rule("SMB over UDP", "UDP", "445", all)))},
		{name: "ICMP rule (no protocol) opens no port", want: Pass, doc: ctlDoc("windows", allOn, stock, rules(rule("ICMP", "", "*", all)))},
		{name: "a rule in the Public profile only still opens the port", want: Partial,
			doc: ctlDoc("windows", allOn, stock, rules(rule("SMB public", "TCP", "445", []string{"Public"}))), detail: []string{"445/tcp"}},
		{name: "a rule in no profile opens nothing", want: Pass, doc: ctlDoc("windows", allOn, stock, rules(rule("SMB none", "TCP", "445", []string{})))},
		{name: "profiles not reported count as every profile", want: Partial,
			doc: ctlDoc("windows", allOn, stock, rules(rule("SMB ?", "TCP", "445", nil))), detail: []string{"445/tcp"}},
		{name: "LocalSubnet does not narrow exposure, scope shown", want: Partial,
			doc: ctlDoc("windows", allOn, stock, rules(facts.FirewallRule{Name: "SMB subnet", Protocol: "TCP", LocalPorts: "445",
				RemoteAddresses: "LocalSubnet", Profiles: all})),
			detail: []string{"445/tcp"}, ev: []string{`"opened_by":["SMB subnet (remote LocalSubnet)"]`}},
		{name: "program rule opens its program's listener", want: Partial, doc: ctlDoc("windows", allOn, rdpLn, rules(rdp)),
			detail: []string{"3389/tcp (svchost.exe)"}, ev: []string{`"opened_by":["Remote Desktop - User Mode (TCP-In)"]`}},
		{name: "program rule does not open another program's port", want: Pass,
			doc: ctlDoc("windows", allOn, minListeners(minLP(3389, 6, "0.0.0.0", "rogue.exe")), rules(rdp))},
		{name: "unread port token opens every port and is named", want: Partial,
			doc: ctlDoc("windows", allOn, stock, rules(rule("Odd", "TCP", "Foo", all))), detail: []string{"4 unexpected service(s)"},
			ev: []string{`"firewall_rule_ports_unread":["Odd: Foo"]`}},
		{name: "opened and allowed by policy passes", want: Pass, doc: ctlDoc("windows", allOn, rdpLn, rules(rdp)),
			pol: func(p *policy.Policy) { p.AllowedPorts["windows"] = []string{"3389/tcp"} },
			ev:  []string{`"exposed_allowed":[{"port":3389,"proto":"tcp","addresses":["0.0.0.0"],"processes":["svchost.exe"],"opened_by":["Remote Desktop - User Mode (TCP-In)"]}]`}},
		{name: "firewall off for a profile: rules ignored, every listener counts", want: Fail,
			doc:    ctlDoc("windows", publicOff, stock, rules(smb)),
			detail: []string{"off for the Public profile", "135/tcp (svchost.exe), 139/tcp (System), 445/tcp (System), 5353/udp (svchost.exe), 49664/tcp (lsass.exe) are exposed."}},
	})
}

func TestMinRulePorts(t *testing.T) {
	tests := []struct {
		in      string
		want    []portRule
		unknown []string
	}{
		{"445", []portRule{{lo: 445, hi: 445}}, nil},
		{"135, 139", []portRule{{lo: 135, hi: 135}, {lo: 139, hi: 139}}, nil},
		{"49152-65535", []portRule{{lo: 49152, hi: 65535}}, nil},
		{"*", []portRule{{lo: 1, hi: 65535}}, nil},
		{"", []portRule{{lo: 1, hi: 65535}}, nil},
		{"RPC-EPMap,RPC", []portRule{{lo: 135, hi: 135}, minDynamicRPC}, nil},
		{"Teredo", nil, nil},
		{"IPHTTPSIn", []portRule{{lo: 443, hi: 443}}, nil},
		{"80,bogus", []portRule{{lo: 80, hi: 80}, {lo: 1, hi: 65535}}, []string{"bogus"}},
	}
	for _, tt := range tests {
		got, unknown := minRulePorts(tt.in)
		if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(unknown, tt.unknown) {
			t.Errorf("minRulePorts(%q) = %v, %v; want %v, %v", tt.in, got, unknown, tt.want, tt.unknown)
		}
	}
}
