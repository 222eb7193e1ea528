package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/queries/osqsim"
	"github.com/miccmac/miccmac-osq/translator"
)

// End to end for the MIN checks: osquery rows -> the real catalogue SQL
// (osqsim) -> translator -> engine. This is an external test package so the
// engine package itself never imports the translator.

// minCollect runs every Linux catalogue query over the tables; a query whose
// table is absent fails as osquery would ("no such table").
func minCollect(t *testing.T, tables map[string][]queries.Row) *queries.HostResults {
	t.Helper()
	tables["os_version"] = []queries.Row{{"name": "Ubuntu", "version": "24.04.1 LTS (Noble Numbat)", "major": "24", "minor": "4",
		"patch": "0", "build": "", "platform": "ubuntu", "platform_like": "debian", "codename": "noble", "arch": "x86_64"}}
	db, err := osqsim.OpenWith(tables, osqsim.Options{Platform: "linux", OsqueryNulls: true})
	if err != nil {
		t.Fatalf("osqsim: %v", err)
	}
	defer db.Close()
	h := &queries.HostResults{Host: "host-l1", CollectedAt: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC), Results: map[string]*queries.Result{}}
	for _, q := range queries.ForPlatform(queries.MustBuiltin(), "linux") {
		rows, err := db.Query(context.Background(), q.SQL)
		if err != nil {
			h.Results[q.Name] = &queries.Result{Status: queries.StatusError, Error: err.Error()}
			continue
		}
		h.Results[q.Name] = &queries.Result{Status: queries.StatusOK, Rows: rows}
	}
	return h
}

// minGrade translates and grades one check.
func minGrade(t *testing.T, h *queries.HostResults, id string) engine.CheckResult {
	t.Helper()
	doc := translator.ToFacts(h, queries.MustBuiltin())
	a, err := engine.Assess(doc, nil, engine.Options{Only: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range a.Properties {
		for _, c := range p.Checks {
			if c.CheckID == id {
				return c
			}
		}
	}
	t.Fatalf("%s not graded", id)
	return engine.CheckResult{}
}

func minUnit(id, active, sub, file string) queries.Row {
	return queries.Row{"id": id, "load_state": "loaded", "active_state": active, "sub_state": sub, "unit_file_state": file}
}

// The defect of the old toolkit: MIN-01 could never fail because the legacy
// units were never queried. An active telnet.socket must FAIL it.
func TestMIN01_EndToEnd_TelnetSocketActiveFails(t *testing.T) {
	units := []queries.Row{
		minUnit("sshd.service", "active", "running", "enabled"),
		minUnit("telnet.socket", "active", "listening", "enabled"),
		minUnit("rsyncd.service", "inactive", "dead", "disabled"),
	}
	got := minGrade(t, minCollect(t, map[string][]queries.Row{"systemd_units": units}), "MIN-01")
	if got.Status != engine.Fail || !strings.Contains(got.Detail, "telnet.socket") {
		t.Fatalf("MIN-01 = %s (%s), want FAIL naming telnet.socket", got.Status, got.Detail)
	}
	// The same host with telnet.socket masked passes.
	units[1] = queries.Row{"id": "telnet.socket", "load_state": "masked", "active_state": "inactive", "sub_state": "dead", "unit_file_state": "masked"}
	got = minGrade(t, minCollect(t, map[string][]queries.Row{"systemd_units": units}), "MIN-01")
	if got.Status != engine.Pass {
		t.Fatalf("MIN-01 with telnet.socket masked = %s (%s), want PASS", got.Status, got.Detail)
	}
}

// "ufw.service active" is not "firewall enabled": ufw's unit runs and exits
// even with ENABLED=no in /etc/ufw/ufw.conf.
func TestMIN03_EndToEnd_UFWServiceActiveIsNotFirewallOn(t *testing.T) {
	tables := map[string][]queries.Row{
		"systemd_units":      {minUnit("ufw.service", "active", "exited", "enabled"), minUnit("ssh.service", "active", "running", "enabled")},
		"augeas":             {{"node": "/files/etc/ufw/ufw.conf/ENABLED", "label": "ENABLED", "value": "no", "path": "/etc/ufw/ufw.conf"}},
		"iptables":           {{"filter_name": "filter", "chain": "INPUT", "policy": "ACCEPT", "target": "", "protocol": "0", "dst_port": ""}},
		"listening_ports":    {{"pid": "812", "port": "22", "protocol": "6", "family": "2", "address": "0.0.0.0", "net_namespace": "4026531840"}},
		"processes":          {{"pid": "812", "name": "sshd", "path": "/usr/sbin/sshd", "cmdline": "sshd: /usr/sbin/sshd -D"}},
		"deb_packages":       {{"name": "ufw", "version": "0.36.2-6", "arch": "all", "status": "install ok installed"}},
		"process_namespaces": {{"pid": "1", "net_namespace": "4026531840"}},
	}
	got := minGrade(t, minCollect(t, tables), "MIN-03")
	if got.Status != engine.Fail || !strings.Contains(got.Detail, "ufw ENABLED=no") {
		t.Fatalf("MIN-03 = %s (%s), want FAIL: ufw is disabled in its config", got.Status, got.Detail)
	}
	tables["augeas"][0]["value"] = "yes"
	got = minGrade(t, minCollect(t, tables), "MIN-03")
	if got.Status != engine.Pass {
		t.Fatalf("MIN-03 with ENABLED=yes = %s (%s), want PASS", got.Status, got.Detail)
	}
}
