package engine

import (
	"path"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// monNode is one augeas row as osquery emits it for a node under file.
func monNode(file, node, value string) facts.ConfigNode {
	label := path.Base(node)
	if i := strings.IndexByte(label, '['); i >= 0 {
		label = label[:i]
	}
	return facts.ConfigNode{Path: file, Node: "/files" + file + node, Label: label, Value: value}
}

func TestMON02(t *testing.T) {
	rsyslogOn := monUnit("rsyslog.service", true, true)
	rsyslogOff := monUnit("rsyslog.service", false, false)
	legacy := monNodes(
		monNode("/etc/rsyslog.d/90-forward.conf", "/entry[1]/action/protocol", "@@"),
		monNode("/etc/rsyslog.d/90-forward.conf", "/entry[1]/action/hostname", "siem.example.com"),
		monNode("/etc/rsyslog.d/90-forward.conf", "/entry[1]/action/port", "6514"),
	)
	omfwd := monNodes(
		monNode("/etc/rsyslog.conf", "/action[2]/type", "omfwd"),
		monNode("/etc/rsyslog.conf", "/action[2]/target", "10.0.0.5"),
		monNode("/etc/rsyslog.conf", "/action[1]/type", "omfile"),
	)
	loopOnly := monNodes(
		monNode("/etc/rsyslog.conf", "/entry[3]/action/protocol", "@"),
		monNode("/etc/rsyslog.conf", "/entry[3]/action/hostname", "127.0.0.1"),
	)
	wef := monRegistry(facts.RegistryValue{Key: wefKey, Name: "1", Type: "REG_SZ",
		Data: "Server=http://wec.example.com:5985/wsman/SubscriptionManager/WEC,Refresh=60"})
	monRunCases(t, "MON-02", []monCase{
		{"splunk forwarder running (process)", monDoc("linux", monServices(), monProcs("splunkd"), monNodes()),
			Pass, "Splunk Universal Forwarder is running"},
		{"fluent-bit installed not running", monDoc("linux", monServices(monUnit("fluent-bit.service", false, true)), monNodes()),
			Partial, "Fluent Bit is installed but not running"},
		{"forwarder package only", monDoc("linux", monServices(), monPackages(monPkg("filebeat", "deb")), monNodes()),
			Partial, "Filebeat is installed but not running"},
		{"rsyslog legacy @@ forwarding", monDoc("linux", monServices(rsyslogOn), legacy),
			Pass, "rsyslog forwards to siem.example.com"},
		{"rsyslog omfwd action", monDoc("linux", monServices(rsyslogOn), omfwd), Pass, "rsyslog forwards to 10.0.0.5"},
		{"rsyslog configured but stopped", monDoc("linux", monServices(rsyslogOff), legacy),
			Partial, "configured to forward to siem.example.com but is not running"},
		{"rsyslog to loopback is a local relay", monDoc("linux", monServices(rsyslogOn), loopOnly),
			Fail, "No log forwarder"},
		{"journal upload running", monDoc("linux", monServices(monUnit("systemd-journal-upload.service", true, true)), monNodes()),
			Pass, "systemd-journal-upload is running"},
		{"journal upload enabled, stopped", monDoc("linux", monServices(monUnit("systemd-journal-upload.service", false, true)), monNodes()),
			Partial, "enabled but not running"},
		{"nothing on linux", monDoc("linux", monServices(rsyslogOn), monProcs("sshd"), monNodes()), Fail, "No log forwarder"},
		{"rsyslog config unreadable", monDoc("linux", monServices(rsyslogOn),
			monQuery("x_mon_rsyslog", facts.StateUnknown, 0, "augeas: lenses not found"), monQuery("systemd_units", facts.StateOK, 3, "")),
			Unknown, "rsyslog is running and its configuration could not be read (x_mon_rsyslog: augeas: lenses not found)"},
		{"syslog-ng destinations invisible", monDoc("linux", monServices(monUnit("syslog-ng.service", true, true)), monNodes()),
			Unknown, "syslog-ng is running and osquery cannot read its destinations"},
		{"nothing collected", monDoc("linux", monNodes()), Unknown, "neither processes nor services were collected (processes was not run)"},
		{"packages only, no forwarder package", monDoc("linux", monPackages(monPkg("bash", "deb")), monNodes()),
			Unknown, "a running forwarder cannot be seen"},
		{"packages only, forwarder package", monDoc("linux", monPackages(monPkg("filebeat", "deb")), monNodes()),
			Unknown, "Filebeat is installed and whether it runs is unknown"},
		{"rsyslog forwarding configured, run state unknown", monDoc("linux", legacy),
			Unknown, "rsyslog is configured to forward to siem.example.com and whether it runs is unknown"},
		{"exact names only: splunkd-helper is not splunkd", monDoc("linux", monServices(), monProcs("splunkd-helper", "vectord"), monNodes()),
			Fail, "No log forwarder"},
		{"windows winlogbeat", monDoc("windows", monServices(monWinSvc("winlogbeat", true)), monRegistry()), Pass, "Winlogbeat is running"},
		{"windows process name case-insensitive", monDoc("windows", monServices(), monProcs("SPLUNKD.EXE"), monRegistry()), Pass, "Splunk"},
		{"windows event forwarding with winrm", monDoc("windows", monServices(monWinSvc("WinRM", true)), wef),
			Pass, "Windows Event Forwarding is configured and WinRM is running"},
		{"windows event forwarding without winrm", monDoc("windows", monServices(monWinSvc("WinRM", false)), wef),
			Partial, "WinRM service is not running"},
		{"windows event forwarding, services not collected", monDoc("windows", wef, func(d *facts.Document) {
			d.Services = facts.Section[facts.Service]{Origin: facts.Origin{State: facts.StateUnknown, Reason: "services: timed out"}}
		}), Unknown, "whether WinRM runs is unknown"},
		{"windows nothing", monDoc("windows", monServices(monWinSvc("EventLog", true)), monRegistry()), Fail, "No log forwarder"},
		{"windows registry not collected", monDoc("windows", monServices(monWinSvc("EventLog", true))),
			Unknown, "Windows Event Forwarding settings were not collected"},
		{"macos elastic agent", monDoc("darwin", monProcs("elastic-agent")), Pass, "Elastic Agent is running"},
		{"macos nothing", monDoc("darwin", monProcs("acme-shipper")), Fail, "No log-forwarding agent was found."},
	})
	// The policy's catalog_additions.forwarders extends the catalogue.
	env := monEnv(monDoc("darwin", monProcs("acme-shipper")))
	env.Policy.CatalogAdditions = map[string][]string{"forwarders": {"acme-shipper"}}
	if o := checkMON02(env); o.Status != Pass || !strings.Contains(o.Detail, "acme-shipper is running") {
		t.Errorf("policy forwarder addition: %s %q", o.Status, o.Detail)
	}
}

func TestMON02_RsyslogRemotesSortedAndFiled(t *testing.T) {
	env := monEnv(monDoc("linux", monNodes(
		monNode("/etc/rsyslog.d/90-b.conf", "/entry[1]/action/protocol", "@"),
		monNode("/etc/rsyslog.d/90-b.conf", "/entry[1]/action/hostname", "b.example.com"),
		monNode("/etc/rsyslog.conf", "/filter[1]/action/protocol", "@@"),
		monNode("/etc/rsyslog.conf", "/filter[1]/action/hostname", "a.example.com"),
		monNode("/etc/rsyslog.conf", "/hostname[1]", "other"),  // host-matching block, not an action
		monNode("/etc/ufw/ufw.conf", "/action/protocol", "@@"), // not a syslog file
	)))
	remote, local := mon02RsyslogRemotes(env)
	if len(local) != 0 || len(remote) != 2 ||
		remote[0] != (mon02Remote{File: "/etc/rsyslog.conf", Target: "a.example.com", Protocol: "@@"}) ||
		remote[1] != (mon02Remote{File: "/etc/rsyslog.d/90-b.conf", Target: "b.example.com", Protocol: "@"}) {
		t.Errorf("remotes = %+v local %+v", remote, local)
	}
}
