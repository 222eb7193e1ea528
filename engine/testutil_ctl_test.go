package engine

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// Test helpers for the CTL and MIN checks (tags ctl, min).

var ctlNow = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

func ctlOK(queries ...string) facts.Origin {
	return facts.Origin{State: facts.StateOK, Queries: queries}
}

func ctlMissing(reason string) facts.Origin {
	return facts.Origin{State: facts.StateUnknown, Reason: reason}
}

func ctlB(b bool) *bool   { return &b }
func ctlI(n int64) *int64 { return &n }

// ctlXQueries are the catalogue queries of the CTL/MIN checks.
var ctlXQueries = []string{"x_ctl_windows_mdm", "x_ctl_windows_join", "x_ctl_lastrun_windows", "x_ctl_lastrun",
	"x_ctl_macos_mdm", "x_ctl_macos_root", "x_min_sshd", "x_min_windows_baseline"}

type ctlOpt func(*facts.Document)

// ctlDoc builds a document for an OS kind (linux = Debian family) with the OS
// known, every section the CTL/MIN checks read collected and empty, and the
// x_ctl/x_min queries answered; options then fill or break sections.
func ctlDoc(kind string, opts ...ctlOpt) *facts.Document {
	fam := map[string]string{"linux": facts.FamilyDebian, "darwin": facts.FamilyDarwin, "windows": facts.FamilyWindows}[kind]
	d := &facts.Document{Host: "host-1", SchemaVersion: facts.SchemaVersion, Queries: map[string]facts.QueryState{}}
	d.OS = facts.OS{Origin: ctlOK("os_version"), Kind: kind, Family: fam, Name: kind + " test", Platform: kind}
	ok := ctlOK("test")
	d.Services.Origin, d.Processes.Origin, d.Packages.Origin = ok, ok, ok
	d.Users.Origin, d.Groups.Origin, d.Memberships.Origin, d.Shadow.Origin, d.Sudoers.Origin = ok, ok, ok, ok, ok
	d.ListeningPorts.Origin, d.Registry.Origin, d.Files.Origin, d.Plist.Origin, d.ConfigNodes.Origin = ok, ok, ok, ok, ok
	d.Sysctls.Origin, d.ManagedPolicies.Origin, d.OptionalFeatures.Origin, d.Firewall.Iptables.Origin = ok, ok, ok, ok
	d.Sharing.Origin, d.SIP.Origin, d.Gatekeeper.Origin, d.SecureBoot.Origin = ok, ok, ok, ok
	d.Firewall.Profiles.Origin, d.Firewall.ALFOrigin, d.Firewall.UFWOrigin = ok, ok, ok
	for _, q := range ctlXQueries {
		d.Queries[q] = facts.QueryState{State: facts.StateOK}
	}
	for _, o := range opts {
		o(d)
	}
	return d
}

func ctlEnv(d *facts.Document, mods ...func(*policy.Policy)) *Env {
	p := policy.Default()
	for _, m := range mods {
		m(p)
	}
	return &Env{Facts: d, Policy: p, Now: ctlNow}
}

func ctlSvc(name string, running, enabled *bool, unitFileState string) facts.Service {
	mgr := "systemd"
	if !strings.Contains(name, ".") {
		mgr = "windows"
	}
	return facts.Service{Name: name, Manager: mgr, Running: running, Enabled: enabled, UnitFileState: unitFileState}
}

func ctlServices(s ...facts.Service) ctlOpt {
	return func(d *facts.Document) { d.Services.Items = append(d.Services.Items, s...) }
}

func ctlProcs(names ...string) ctlOpt {
	return func(d *facts.Document) {
		for i, n := range names {
			d.Processes.Items = append(d.Processes.Items, facts.Process{PID: ctlI(int64(1000 + i)), Name: n})
		}
	}
}

func ctlPkg(name, source string, installed bool) facts.Package {
	return facts.Package{Name: name, Version: "1.0", Source: source, Installed: installed}
}

func ctlPkgs(p ...facts.Package) ctlOpt {
	return func(d *facts.Document) { d.Packages.Items = append(d.Packages.Items, p...) }
}

func ctlReg(path, data string) facts.RegistryValue {
	i := strings.LastIndexByte(path, '\\')
	return facts.RegistryValue{Key: path[:i], Name: path[i+1:], Path: path, Type: "REG_SZ", Data: data}
}

func ctlRegistry(v ...facts.RegistryValue) ctlOpt {
	return func(d *facts.Document) { d.Registry.Items = append(d.Registry.Items, v...) }
}

func ctlFile(path string, mtime time.Time) facts.FileStat {
	return facts.FileStat{Path: path, Type: "regular", Mtime: ctlI(mtime.Unix())}
}

func ctlFiles(f ...facts.FileStat) ctlOpt {
	return func(d *facts.Document) { d.Files.Items = append(d.Files.Items, f...) }
}

func ctlUser(name string, uid, gid int64, shell, sid string) facts.User {
	return facts.User{Username: name, UID: ctlI(uid), GID: ctlI(gid), Shell: shell, SID: sid, Type: "local"}
}

func ctlUsers(u ...facts.User) ctlOpt {
	return func(d *facts.Document) { d.Users.Items = append(d.Users.Items, u...) }
}

func ctlGroup(name string, gid int64, sid string) facts.Group {
	return facts.Group{Name: name, GID: ctlI(gid), SID: sid}
}

func ctlGroups(g ...facts.Group) ctlOpt {
	return func(d *facts.Document) { d.Groups.Items = append(d.Groups.Items, g...) }
}

// ctlMembers adds memberships as uid, gid pairs.
func ctlMembers(pairs ...int64) ctlOpt {
	return func(d *facts.Document) {
		for i := 0; i+1 < len(pairs); i += 2 {
			d.Memberships.Items = append(d.Memberships.Items, facts.Membership{UID: ctlI(pairs[i]), GID: ctlI(pairs[i+1])})
		}
	}
}

func ctlShadow(kv ...string) ctlOpt {
	return func(d *facts.Document) {
		for i := 0; i+1 < len(kv); i += 2 {
			d.Shadow.Items = append(d.Shadow.Items, facts.ShadowEntry{Username: kv[i], PasswordStatus: kv[i+1]})
		}
	}
}

func ctlSudo(header, details string) ctlOpt {
	return func(d *facts.Document) {
		d.Sudoers.Items = append(d.Sudoers.Items, facts.SudoRule{Source: "/etc/sudoers", Header: header, RuleDetails: details})
	}
}

// ctlQueryFailed marks a catalogue query as failed.
func ctlQueryFailed(name, reason string) ctlOpt {
	return func(d *facts.Document) { d.Queries[name] = facts.QueryState{State: facts.StateUnknown, Reason: reason} }
}

func ctlAttest(a *facts.Attestation) ctlOpt {
	return func(d *facts.Document) { d.Attestation = a }
}

// ctlCase is one table row of a check test.
type ctlCase struct {
	name string
	doc  *facts.Document
	pol  func(*policy.Policy)
	want Status
	// detail and evidence substrings that must appear.
	detail []string
	ev     []string
	// substrings that must not appear in the detail.
	notDetail []string
}

// ctlRun runs a table of cases against one check.
func ctlRun(t *testing.T, fn CheckFunc, cases []ctlCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mods []func(*policy.Policy)
			if c.pol != nil {
				mods = append(mods, c.pol)
			}
			o := fn(ctlEnv(c.doc, mods...))
			if o.Status != c.want {
				t.Fatalf("status = %s, want %s; detail: %s; evidence: %v", o.Status, c.want, o.Detail, o.Evidence)
			}
			for _, s := range c.detail {
				if !strings.Contains(o.Detail, s) {
					t.Errorf("detail %q lacks %q", o.Detail, s)
				}
			}
			for _, s := range c.notDetail {
				if strings.Contains(o.Detail, s) {
					t.Errorf("detail %q must not contain %q", o.Detail, s)
				}
			}
			ev := ctlJSON(t, o.Evidence)
			for _, s := range c.ev {
				if !strings.Contains(ev, s) {
					t.Errorf("evidence %s lacks %q", ev, s)
				}
			}
		})
	}
}

// ctlJSON encodes evidence, failing the test when it is not JSON-encodable.
func ctlJSON(t *testing.T, ev map[string]any) string {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatalf("evidence is not JSON-encodable: %v", err)
	}
	return string(b)
}
