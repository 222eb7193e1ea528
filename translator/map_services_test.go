package translator

import (
	"path/filepath"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// TestSystemdUnits_B21 drives systemd enablement and running state from the
// B21 bug case, including the old osquery row without unit_file_state.
func TestSystemdUnits_B21(t *testing.T) {
	var bc struct {
		New      []queries.Row `json:"rows_new_osquery"`
		Old      []queries.Row `json:"rows_old_osquery_no_unit_file_state"`
		Expected map[string]struct {
			Enabled *bool  `json:"enabled"`
			Running *bool  `json:"running"`
			Note    string `json:"note"`
		} `json:"expected"`
	}
	readFactsTestdata(t, "bugcases/B21.json", &bc)
	rows := append(append([]queries.Row(nil), bc.New...), bc.Old...)
	d := factsHost("host-sd").ok("os_version", rowOSUbuntu).ok("systemd_units", rows...).facts(t)
	if len(d.Services.Items) != len(bc.Expected) {
		t.Fatalf("%d services, %d expectations", len(d.Services.Items), len(bc.Expected))
	}
	for _, s := range d.Services.Items {
		want, ok := bc.Expected[s.Name]
		if !ok {
			t.Errorf("%s: no expectation", s.Name)
			continue
		}
		if showBool(s.Enabled) != showBool(want.Enabled) || showBool(s.Running) != showBool(want.Running) {
			t.Errorf("%s (%s/%s): enabled %v running %v, want %v %v", s.Name, s.UnitFileState, s.ActiveState,
				showBool(s.Enabled), showBool(s.Running), showBool(want.Enabled), showBool(want.Running))
		}
		if s.Manager != "systemd" {
			t.Errorf("%s: manager %q", s.Name, s.Manager)
		}
		if wantRuntime := s.Name == "auditd.service"; s.RuntimeOnly != wantRuntime {
			t.Errorf("%s: RuntimeOnly %v, want %v (enabled-runtime is flagged)", s.Name, s.RuntimeOnly, wantRuntime)
		}
	}
	if !containsNote(d.Services.Notes, "no unit_file_state column") || !containsNote(d.ServiceSources["systemd"].Notes, "no unit_file_state column") {
		t.Errorf("old osquery row must be noted: %q", d.Services.Notes)
	}
}

func TestWindowsServices(t *testing.T) {
	row := func(name, status, start string) queries.Row {
		return queries.Row{"name": name, "display_name": name + " service", "status": status, "start_type": start, "path": `C:\Windows\system32\svchost.exe -k netsvcs`}
	}
	d := factsHost("ws").ok("os_version_windows", rowOSWindows).ok("services",
		row("EventLog", "RUNNING", "AUTO_START"),
		row("RemoteRegistry", "STOPPED", "DISABLED"),
		row("TlntSvr", "STOPPED", "DEMAND_START"),
		row("Disk", "RUNNING", "BOOT_START"),
		row("Odd", "", "WEIRD_START"),
	).facts(t)
	want := []struct {
		enabled, running any
	}{{true, true}, {false, false}, {false, false}, {true, true}, {nil, nil}}
	for i, s := range d.Services.Items {
		if showBool(s.Enabled) != want[i].enabled || showBool(s.Running) != want[i].running || s.Manager != "windows" {
			t.Errorf("%s (%s, %s): enabled %v running %v, want %v %v", s.Name, s.Status, s.StartType,
				showBool(s.Enabled), showBool(s.Running), want[i].enabled, want[i].running)
		}
	}
	if d.Services.Items[0].DisplayName != "EventLog service" {
		t.Errorf("display name: %q", d.Services.Items[0].DisplayName)
	}
	if !containsNote(d.Services.Notes, "unknown start_type") {
		t.Errorf("notes %q", d.Services.Notes)
	}
	if got := d.ServiceSources["systemd"].State; got != facts.StateNotApplicable {
		t.Errorf("systemd on windows: %s", got)
	}
}

// TestLaunchd maps real launchd rows: enabled = !disabled && (run_at_load ||
// keep_alive); running unknown.
func TestLaunchd(t *testing.T) {
	rows := ndjsonRows(t, filepath.Join("..", "testdata", "samples", "macos", "it-compliance-launchd.differential.ndjson"))
	d := factsHost("mac").ok("os_version", rowOSMac).ok("launchd", rows...).facts(t)
	want := map[string]bool{
		"com.apple.ManagedClient.cloudconfigurationd": false, // run_at_load "0"
		"com.apple.ManagedClient.startup":             true,  // run_at_load "1"
		"com.apple.ODSAgent":                          false, // keep_alive "1" but disabled "1"
		"com.apple.MobileFileIntegrity":               false, // on demand
	}
	seen := 0
	for _, s := range d.Services.Items {
		if s.Running != nil || s.Manager != "launchd" {
			t.Errorf("%s: running %v manager %q", s.Name, showBool(s.Running), s.Manager)
		}
		if w, ok := want[s.Name]; ok {
			seen++
			if s.Enabled == nil || *s.Enabled != w {
				t.Errorf("%s: enabled %v, want %v", s.Name, showBool(s.Enabled), w)
			}
		}
		if s.Name == "com.apple.PCIELaneConfigTool" && s.Path != "/System/Library/CoreServices/Expansion Slot Utility.app/Contents/Resources/PCIELaneConfigTool" {
			t.Errorf("path with spaces: %q", s.Path)
		}
	}
	if seen != len(want) {
		t.Errorf("saw %d of %d expected jobs", seen, len(want))
	}
}
