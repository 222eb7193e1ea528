package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// Test helpers for the MON/INV/CLM checks and the assessment (tag mon).

var monNow = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

func monKnown(queries ...string) facts.Origin {
	return facts.Origin{State: facts.StateOK, Queries: queries}
}

func monUnknownOrigin(reason string) facts.Origin {
	return facts.Origin{State: facts.StateUnknown, Reason: reason}
}

type monOpt func(*facts.Document)

// monDoc builds a document for an OS kind (linux = Debian family) with the
// OS known and every other section unknown until an option sets it.
func monDoc(kind string, opts ...monOpt) *facts.Document {
	fam := map[string]string{"linux": facts.FamilyDebian, "darwin": facts.FamilyDarwin, "windows": facts.FamilyWindows}[kind]
	d := &facts.Document{Host: "host-1", SchemaVersion: facts.SchemaVersion}
	d.OS = facts.OS{Origin: monKnown("os_version"), Kind: kind, Family: fam, Name: kind + " test", Platform: kind}
	for _, o := range opts {
		o(d)
	}
	return d
}

func monServices(svcs ...facts.Service) monOpt {
	return func(d *facts.Document) {
		d.Services = facts.Section[facts.Service]{Origin: monKnown("services"), Items: svcs}
	}
}

func monProcs(names ...string) monOpt {
	return func(d *facts.Document) {
		d.Processes.Origin = monKnown("processes")
		d.Processes.Items = []facts.Process{}
		for _, n := range names {
			d.Processes.Items = append(d.Processes.Items, facts.Process{Name: n})
		}
	}
}

func monPackages(pkgs ...facts.Package) monOpt {
	return func(d *facts.Document) {
		d.Packages = facts.Section[facts.Package]{Origin: monKnown("packages"), Items: pkgs}
	}
}

func monFiles(files ...facts.FileStat) monOpt {
	return func(d *facts.Document) {
		d.Files = facts.Section[facts.FileStat]{Origin: monKnown("files"), Items: files}
	}
}

func monNodes(nodes ...facts.ConfigNode) monOpt {
	return func(d *facts.Document) {
		d.ConfigNodes = facts.Section[facts.ConfigNode]{Origin: monKnown("x_mon_rsyslog"), Items: nodes}
	}
}

func monRegistry(vals ...facts.RegistryValue) monOpt {
	return func(d *facts.Document) {
		d.Registry = facts.Section[facts.RegistryValue]{Origin: monKnown("registry"), Items: vals}
	}
}

func monFlags(kv ...string) monOpt {
	return func(d *facts.Document) {
		d.Osquery.FlagsOrigin = monKnown("osquery_flags")
		d.Osquery.Flags = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			d.Osquery.Flags[kv[i]] = kv[i+1]
		}
	}
}

// monQuery records one catalogue query's state in Document.Queries.
func monQuery(name string, state facts.State, rows int, reason string) monOpt {
	return func(d *facts.Document) {
		if d.Queries == nil {
			d.Queries = map[string]facts.QueryState{}
		}
		d.Queries[name] = facts.QueryState{State: state, Rows: rows, Reason: reason}
	}
}

func monBool(b bool) *bool { return &b }

func monUnit(id string, running, enabled bool) facts.Service {
	active := "inactive"
	if running {
		active = "active"
	}
	return facts.Service{Name: id, Manager: "systemd", Running: monBool(running), Enabled: monBool(enabled), ActiveState: active}
}

func monWinSvc(name string, running bool) facts.Service {
	status := "STOPPED"
	if running {
		status = "RUNNING"
	}
	return facts.Service{Name: name, Manager: "windows", Running: monBool(running), Status: status}
}

func monPkg(name, source string) facts.Package {
	return facts.Package{Name: name, Version: "1.0", Source: source, Installed: true}
}

// monEnv wraps a document with the default policy at monNow.
func monEnv(d *facts.Document) *Env {
	return &Env{Facts: d, Policy: policy.Default(), Now: monNow}
}

// monCase is one scenario for a check.
type monCase struct {
	name   string
	doc    *facts.Document
	want   Status
	detail string // substring of Detail
}

// monRunCases runs the registered check id over the cases.
func monRunCases(t *testing.T, id string, cases []monCase) {
	t.Helper()
	fn := evaluators[id]
	if fn == nil {
		t.Fatalf("%s is not registered", id)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fn(monEnv(c.doc))
			if got.Status != c.want || !strings.Contains(got.Detail, c.detail) {
				t.Errorf("%s = %s %q (evidence %v); want %s containing %q", id, got.Status, got.Detail, got.Evidence, c.want, c.detail)
			}
		})
	}
}
