package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

func TestMIN01_B21(t *testing.T) {
	b21 := minB21Services(t)
	with := func(mod func([]facts.Service)) ctlOpt {
		return func(d *facts.Document) {
			s := append([]facts.Service(nil), b21...)
			if mod != nil {
				mod(s)
			}
			d.Services.Items = s
		}
	}
	byName := func(s []facts.Service, n string) *facts.Service {
		for i := range s {
			if s[i].Name == n {
				return &s[i]
			}
		}
		t.Fatalf("B21 has no %s", n)
		return nil
	}
	ctlRun(t, checkMIN01, []ctlCase{
		{name: "masked telnet.socket and disabled rsyncd pass", want: Pass, doc: ctlDoc("linux", with(nil)),
			ev: []string{"telnet.socket: masked", "rsyncd.service: disabled and not running"}},
		{name: "telnet.socket active fails", want: Fail,
			doc: ctlDoc("linux", with(func(s []facts.Service) {
				u := byName(s, "telnet.socket")
				*u = facts.Service{Name: "telnet.socket", Manager: "systemd", ActiveState: "active", SubState: "listening",
					UnitFileState: "enabled", Enabled: ctlB(true), Running: ctlB(true)}
			})),
			detail: []string{"telnet server (telnet.socket: running and enabled at boot)"}},
		{name: "telnet.socket active but accepted by policy", want: Pass,
			doc: ctlDoc("linux", with(func(s []facts.Service) {
				u := byName(s, "telnet.socket")
				*u = facts.Service{Name: "telnet.socket", Manager: "systemd", ActiveState: "active", SubState: "listening",
					UnitFileState: "enabled", Enabled: ctlB(true), Running: ctlB(true)}
			})),
			pol: func(p *policy.Policy) { p.AllowServices = []string{"telnet.socket"} },
			ev:  []string{"accepted by policy (allow_services: telnet.socket)"}},
		{name: "rsyncd enabled but stopped fails", want: Fail,
			doc: ctlDoc("linux", with(func(s []facts.Service) {
				u := byName(s, "rsyncd.service")
				u.UnitFileState, u.Enabled = "enabled", ctlB(true)
			})),
			detail: []string{"rsync daemon (rsyncd.service: enabled at boot)"}},
		{name: "enabled-runtime counts until reboot", want: Fail,
			doc: ctlDoc("linux", ctlServices(facts.Service{Name: "xinetd.service", Manager: "systemd", UnitFileState: "enabled-runtime",
				Enabled: ctlB(true), Running: ctlB(false), RuntimeOnly: true})),
			detail: []string{"enabled until the next reboot"}},
		{name: "enablement unknown (old osquery), not running", want: Pass,
			doc: ctlDoc("linux", ctlServices(facts.Service{Name: "ypbind.service", Manager: "systemd", Running: ctlB(false)})),
			ev:  []string{"ypbind.service: not running (enablement unknown)"}},
		{name: "enablement unknown (old osquery), running", want: Fail,
			doc:    ctlDoc("linux", ctlServices(facts.Service{Name: "ypbind.service", Manager: "systemd", Running: ctlB(true)})),
			detail: []string{"NIS (ypbind.service: running (enablement unknown))"}},
		{name: "static template instance running", want: Fail,
			doc: ctlDoc("linux", ctlServices(
				ctlSvc("telnet@0-10.0.0.1:23-10.0.0.9:51514.service", ctlB(true), ctlB(true), "static"),
				ctlSvc("telnet@.service", ctlB(false), ctlB(true), "static"))),
			detail: []string{"telnet@0-10.0.0.1:23-10.0.0.9:51514.service: running (static)"}, notDetail: []string{"telnet@.service:"}},
		{name: "rpcbind alone fails", want: Fail, doc: ctlDoc("linux", ctlServices(ctlSvc("rpcbind.socket", ctlB(true), ctlB(true), "enabled"))),
			detail: []string{"rpcbind without NFS server"}},
		{name: "rpcbind with NFS server passes", want: Pass,
			doc: ctlDoc("linux", ctlServices(ctlSvc("rpcbind.socket", ctlB(true), ctlB(true), "enabled"),
				ctlSvc("nfs-server.service", ctlB(true), ctlB(true), "enabled"))),
			ev: []string{"accepted, nfs-server.service"}},
		{name: "policy deny_services without suffix", want: Fail,
			doc: ctlDoc("linux", with(nil)), pol: func(p *policy.Policy) { p.DenyServices = []string{"cups"} },
			detail: []string{"cups (cups.service: running (not enabled at boot))"}},
		{name: "services not collected", want: Unknown,
			doc:    ctlDoc("linux", func(d *facts.Document) { d.Services.Origin = ctlMissing("systemd_units: permission denied") }),
			detail: []string{"systemd_units: permission denied"}},
		{name: "systemd source unknown while others known", want: Unknown,
			doc: ctlDoc("linux", with(nil), func(d *facts.Document) {
				d.ServiceSources = map[string]facts.Origin{"systemd": ctlMissing("systemd_units: no such table")}
			})},
	})
}

func TestMIN01_Windows(t *testing.T) {
	ctlRun(t, checkMIN01, []ctlCase{
		{name: "nothing legacy", want: Pass,
			doc: ctlDoc("windows", ctlServices(ctlSvc("RemoteRegistry", ctlB(false), ctlB(false), ""), ctlSvc("EventLog", ctlB(true), ctlB(true), "")))},
		{name: "remote registry automatic", want: Fail,
			doc:    ctlDoc("windows", ctlServices(ctlSvc("RemoteRegistry", ctlB(false), ctlB(true), ""))),
			detail: []string{"Remote Registry (RemoteRegistry: enabled at boot)"}},
		{name: "service names compare case-insensitively", want: Fail,
			doc:    ctlDoc("windows", ctlServices(ctlSvc("tlntsvr", ctlB(true), ctlB(true), ""), ctlSvc("snmp", ctlB(true), ctlB(false), ""))),
			detail: []string{"Telnet Server (tlntsvr", "SNMP Service (snmp"}},
	})
}

func TestMIN01_Darwin(t *testing.T) {
	sharing := func(kv ...any) ctlOpt {
		return func(d *facts.Document) {
			d.Sharing.Values = map[string]*int64{}
			for _, k := range []string{"remote_login", "screen_sharing", "file_sharing", "remote_apple_events", "remote_management", "internet_sharing"} {
				d.Sharing.Values[k] = ctlI(0)
			}
			for i := 0; i+1 < len(kv); i += 2 {
				v, _ := kv[i+1].(*int64)
				d.Sharing.Values[kv[i].(string)] = v
			}
		}
	}
	ctlRun(t, checkMIN01, []ctlCase{
		{name: "all sharing off", want: Pass, doc: ctlDoc("darwin", sharing())},
		{name: "remote login on, 22/tcp allowed by default policy", want: Pass, doc: ctlDoc("darwin", sharing("remote_login", ctlI(1))),
			ev: []string{"sharing remote_login: on, accepted (allowed_ports lists 22/tcp)"}},
		{name: "remote login on, 22/tcp not allowed", want: Fail, doc: ctlDoc("darwin", sharing("remote_login", ctlI(1))),
			pol: func(p *policy.Policy) { p.AllowedPorts["darwin"] = nil }, detail: []string{"Remote Login (SSH)"}},
		{name: "screen sharing and remote apple events", want: Fail,
			doc:    ctlDoc("darwin", sharing("screen_sharing", ctlI(1), "remote_apple_events", ctlI(1))),
			detail: []string{"Remote Apple Events (sharing_preferences.remote_apple_events: on)", "Screen Sharing"}},
		{name: "policy denies printer sharing", want: Fail, doc: ctlDoc("darwin", sharing("printer_sharing", ctlI(1))),
			pol: func(p *policy.Policy) { p.DenyServices = []string{"printer_sharing"} }, detail: []string{"printer_sharing"}},
		{name: "sharing value unknown", want: Unknown, doc: ctlDoc("darwin", sharing("file_sharing", nil)),
			detail: []string{"sharing_preferences.file_sharing not reported"}},
		{name: "tftpd launchd job enabled", want: Fail,
			doc:    ctlDoc("darwin", sharing(), ctlServices(facts.Service{Name: "com.apple.tftpd", Manager: "launchd", Enabled: ctlB(true)})),
			detail: []string{"tftp server (com.apple.tftpd: enabled at boot)"}},
	})
}
