package translator

import (
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// TestImpossiblyEmptyTables: a Windows host with no services, or any host
// with no processes, did not have its table read; that is unknown, never
// "no EventLog service" or "no EDR process".
func TestImpossiblyEmptyTables(t *testing.T) {
	cat := factsCatalog(t)
	win := factsHost("ws").ok("os_version_windows", rowOSWindows).ok("services").ok("processes").h
	d := ToFacts(win, cat)
	if d.Services.State != facts.StateUnknown || !strings.Contains(d.Services.Reason, "osquery lists no services when it cannot open one of them") {
		t.Errorf("windows services: %+v", d.Services.Origin)
	}
	if d.Processes.State != facts.StateUnknown || d.Processes.Items != nil {
		t.Errorf("processes: %+v", d.Processes.Origin)
	}
	lin := factsHost("l").ok("os_version", rowOSUbuntu).ok("systemd_units").ok("processes", queries.Row{"pid": "1", "name": "systemd"}).h
	d = ToFacts(lin, cat)
	if d.Services.State != facts.StateOK || d.Processes.State != facts.StateOK {
		t.Errorf("linux without systemd units (a container) must stay known: %+v %+v", d.Services.Origin, d.Processes.Origin)
	}
}
