package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Field-case loaders for the MIN checks (tag min). The cases are byte-identical
// copies of the field bug cases kept in testdata/bugcases.

func minReadCase(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "bugcases", name))
	if err != nil {
		t.Fatalf("read bug case: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("testdata/bugcases/%s: %v", name, err)
	}
}

// minInt reads an osquery integer cell; "" and unparseable are unknown (nil),
// and -1 for pid is unknown, as the translator maps them.
func minInt(s string) *int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

// minB23 is field case B23 (listening_ports classification).
type minB23 struct {
	HostNS   string              `json:"host_net_namespace_from_pid_1"`
	Rows     []map[string]string `json:"rows"`
	Expected []struct {
		Port    int64  `json:"port"`
		Proto   string `json:"proto"`
		Scope   string `json:"scope"`
		Process string `json:"process"`
	} `json:"expected_classification"`
}

func minLoadB23(t *testing.T) (minB23, []facts.ListeningPort) {
	var c minB23
	minReadCase(t, "B23.json", &c)
	var lps []facts.ListeningPort
	for _, r := range c.Rows {
		lp := facts.ListeningPort{PID: minInt(r["pid"]), Port: minInt(r["port"]), Protocol: minInt(r["protocol"]),
			Family: minInt(r["family"]), Address: r["address"], NetNamespace: r["net_namespace"]}
		if lp.PID != nil && *lp.PID == -1 {
			lp.PID = nil
		}
		lps = append(lps, lp)
	}
	return c, lps
}

// minB16Packages maps field case B16's deb_packages rows the documented way:
// installed iff the last word of status is "installed" (half-* = installed,
// broken); a row without status is installed with its status unknown.
func minB16Packages(t *testing.T) (rows, old []facts.Package) {
	var c struct {
		Rows []map[string]string `json:"rows"`
		Old  []map[string]string `json:"rows_from_old_osquery_without_status_column"`
	}
	minReadCase(t, "B16.json", &c)
	conv := func(r map[string]string) facts.Package {
		p := facts.Package{Name: r["name"], Version: r["version"], Arch: r["arch"], Source: "deb"}
		st, has := r["status"]
		if !has {
			p.Installed, p.StatusUnknown = true, true
			return p
		}
		p.Status = st
		w := strings.Fields(st)
		last := w[len(w)-1]
		p.Installed = last == "installed" || strings.HasPrefix(last, "half-")
		p.Broken = strings.HasPrefix(last, "half-")
		return p
	}
	for _, r := range c.Rows {
		rows = append(rows, conv(r))
	}
	for _, r := range c.Old {
		old = append(old, conv(r))
	}
	return rows, old
}

// minB21Services builds systemd services from field case B21 with the
// enablement and running state its "expected" table gives.
func minB21Services(t *testing.T) []facts.Service {
	var c struct {
		New      []map[string]string `json:"rows_new_osquery"`
		Old      []map[string]string `json:"rows_old_osquery_no_unit_file_state"`
		Expected map[string]struct {
			Enabled *bool `json:"enabled"`
			Running *bool `json:"running"`
		} `json:"expected"`
	}
	minReadCase(t, "B21.json", &c)
	var out []facts.Service
	for _, r := range append(c.New, c.Old...) {
		e, ok := c.Expected[r["id"]]
		if !ok {
			t.Fatalf("B21: no expectation for %s", r["id"])
		}
		out = append(out, facts.Service{Name: r["id"], Manager: "systemd", ActiveState: r["active_state"], SubState: r["sub_state"],
			UnitFileState: r["unit_file_state"], Enabled: e.Enabled, Running: e.Running, RuntimeOnly: r["unit_file_state"] == "enabled-runtime"})
	}
	return out
}
