package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// minFirewall options.
func minUFW(enabled *bool) ctlOpt { return func(d *facts.Document) { d.Firewall.UFWEnabled = enabled } }

func minIptables(rules ...facts.IptablesRule) ctlOpt {
	return func(d *facts.Document) { d.Firewall.Iptables.Items = append(d.Firewall.Iptables.Items, rules...) }
}

func minListeners(lps ...facts.ListeningPort) ctlOpt {
	return func(d *facts.Document) { d.ListeningPorts.Items = append(d.ListeningPorts.Items, lps...) }
}

func minLP(port, proto int64, addr, proc string) facts.ListeningPort {
	return facts.ListeningPort{Port: ctlI(port), Protocol: ctlI(proto), Family: ctlI(2), Address: addr, PID: ctlI(port + 100), ProcessName: proc}
}

var (
	minInputAccept = facts.IptablesRule{Table: "filter", Chain: "INPUT", Policy: "ACCEPT", Target: "ACCEPT", Protocol: ctlI(6), DstPort: "22"}
	minInputDrop   = facts.IptablesRule{Table: "filter", Chain: "INPUT", Policy: "DROP", Target: "ACCEPT", Protocol: ctlI(6), DstPort: "22"}
	minSSH         = minLP(22, 6, "0.0.0.0", "sshd")
)

func TestMIN03_Linux(t *testing.T) {
	c, lps := minLoadB23(t)
	b23 := func(d *facts.Document) { d.ListeningPorts.Items = lps; d.HostNetNamespace = c.HostNS }
	ctlRun(t, checkMIN03, []ctlCase{
		{name: "ufw enabled, only ssh", want: Pass, doc: ctlDoc("linux", minUFW(ctlB(true)), minListeners(minSSH, minLP(25, 6, "127.0.0.1", "master"))),
			detail: []string{"ufw ENABLED=yes"}, ev: []string{`"exposed_allowed":[{"port":22,"proto":"tcp"`}},
		{name: "B23 with firewall on lists the unexpected services", want: Partial, doc: ctlDoc("linux", minUFW(ctlB(true)), b23),
			detail:    []string{"3 unexpected service(s)", "68/udp (" + processUnknownPID + "), 5353/udp", "8443/tcp"},
			notDetail: []string{"80/tcp", "9000/tcp", "25/tcp", "631/tcp", "22/tcp"}},
		{name: "ufw.service active with ENABLED=no is not a firewall", want: Fail,
			doc: ctlDoc("linux", minUFW(ctlB(false)), ctlServices(ctlSvc("ufw.service", ctlB(true), ctlB(true), "enabled")),
				ctlPkgs(ctlPkg("ufw", "deb", true)), minIptables(minInputAccept), minListeners(minSSH)),
			detail: []string{"firewall is off", "ufw ENABLED=no"}},
		{name: "ufw installed, config unread, iptables accept: unknown", want: Unknown,
			doc: ctlDoc("linux", ctlPkgs(ctlPkg("ufw", "deb", true)), minIptables(minInputAccept),
				func(d *facts.Document) { d.Firewall.UFWOrigin = ctlMissing("no ENABLED setting read") }),
			detail: []string{"ufw is installed but its ENABLED setting was not read"}},
		{name: "firewalld running", want: Pass, doc: ctlDoc("linux", ctlServices(ctlSvc("firewalld.service", ctlB(true), ctlB(true), "enabled")))},
		{name: "iptables INPUT DROP", want: Partial, doc: ctlDoc("linux", minIptables(minInputDrop), minListeners(minSSH, minLP(3306, 6, "0.0.0.0", "mysqld"))),
			detail: []string{"3306/tcp (mysqld)"}},
		{name: "iptables catch-all REJECT", want: Pass,
			doc: ctlDoc("linux", minIptables(minInputAccept, facts.IptablesRule{Table: "filter", Chain: "INPUT", Policy: "ACCEPT", Target: "REJECT"}))},
		{name: "iptables empty (nft only): unknown", want: Unknown, doc: ctlDoc("linux"), detail: []string{"iptables returned no rules"}},
		{name: "nftables service hides the ruleset", want: Unknown,
			doc: ctlDoc("linux", minIptables(minInputAccept), ctlServices(ctlSvc("nftables.service", ctlB(true), ctlB(true), "enabled")))},
		{name: "allowed ports from policy", want: Pass,
			doc: ctlDoc("linux", minUFW(ctlB(true)), minListeners(minSSH, minLP(443, 6, "10.0.0.5", "nginx"))),
			pol: func(p *policy.Policy) { p.AllowedPorts["linux"] = []string{"22/tcp", "443/tcp"} }},
		{name: "firewall on, listeners not collected", want: Unknown,
			doc:    ctlDoc("linux", minUFW(ctlB(true)), func(d *facts.Document) { d.ListeningPorts.Origin = ctlMissing("listening_ports: timeout") }),
			detail: []string{"listening ports were not collected: listening_ports: timeout"}},
	})
}

func TestMIN03_Windows(t *testing.T) {
	profiles := func(ps ...facts.FirewallProfile) ctlOpt {
		return func(d *facts.Document) { d.Firewall.Profiles.Items = ps }
	}
	on := func(name, src string) facts.FirewallProfile {
		return facts.FirewallProfile{Profile: name, Enabled: ctlB(true), Source: src}
	}
	rdp := minLP(3389, 6, "0.0.0.0", "svchost.exe")
	ctlRun(t, checkMIN03, []ctlCase{
		{name: "all profiles on, nothing exposed", want: Pass,
			doc: ctlDoc("windows", profiles(on("Domain", "policy"), on("Private", "local"), on("Public", "local")), minListeners(minLP(135, 6, "127.0.0.1", "svchost.exe")))},
		{name: "RDP is not allowed by default", want: Partial,
			doc:    ctlDoc("windows", profiles(on("Domain", "policy"), on("Private", "local"), on("Public", "local")), minListeners(rdp)),
			detail: []string{"3389/tcp (svchost.exe)"}},
		{name: "public profile off", want: Fail,
			doc: ctlDoc("windows", profiles(on("Domain", "policy"), on("Private", "local"),
				facts.FirewallProfile{Profile: "Public", Enabled: ctlB(false), Source: "policy"})),
			detail: []string{"Public profile disabled (policy)"}},
		{name: "profile unknown, security center Good", want: Pass,
			doc: ctlDoc("windows", profiles(on("Domain", "local"), on("Private", "local"), facts.FirewallProfile{Profile: "Public"}),
				func(d *facts.Document) { d.SecurityCenter.Origin, d.SecurityCenter.Firewall = ctlOK("wsc"), "Good" })},
		{name: "server SKU security center Error is unknown", want: Unknown,
			doc: ctlDoc("windows", func(d *facts.Document) {
				d.Firewall.Profiles.Origin = ctlMissing("firewall_profiles: not run")
				d.SecurityCenter.Origin, d.SecurityCenter.Firewall = ctlOK("wsc"), "Error"
			})},
	})
}

func TestMIN03_Darwin(t *testing.T) {
	alf := func(n *int64) ctlOpt { return func(d *facts.Document) { d.Firewall.ALFGlobalState = n } }
	ctlRun(t, checkMIN03, []ctlCase{
		{name: "alf on, ssh allowed", want: Pass, doc: ctlDoc("darwin", alf(ctlI(1)), minListeners(minSSH))},
		{name: "alf essential only", want: Partial, doc: ctlDoc("darwin", alf(ctlI(2)), minListeners(minLP(5900, 6, "::", "screensharingd"))),
			detail: []string{"5900/tcp (screensharingd)"}},
		{name: "alf off", want: Fail, doc: ctlDoc("darwin", alf(ctlI(0))), detail: []string{"global_state 0"}},
		{name: "alf not reported", want: Unknown, doc: ctlDoc("darwin")},
	})
}
