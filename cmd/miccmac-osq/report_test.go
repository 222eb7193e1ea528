package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// mergedStreams is B14's saved output of `osqueryi --json ... 2>&1`.
const mergedStreams = "W0302 10:00:00.000000 12345 options.cpp:100] some warning\n[\n  {\"name\":\"Ubuntu\"}\n]\n"

func TestReportExitCodes(t *testing.T) {
	mac := macosCapture(t)
	merged := writeTemp(t, "merged.json", mergedStreams)
	unbound := writeTemp(t, "inventory.yaml", "device_id: A-1\ntracked: true\nlast_reviewed: 2026-11-01\n")
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"bad format", append([]string{"report", "--format", "pdf"}, mac...), 2, `--format "pdf": want one of text, markdown, json`},
		{"bad methodology", append([]string{"report", "--methodology", "nist"}, mac...), 2, `--methodology "nist"`},
		{"missing file", []string{"report", "--input", "no/such/file.log"}, 2, "no/such/file.log"},
		{"B14 merged streams", []string{"report", merged}, 2, "line 1: not JSON"},
		{"rows without a query name", []string{"report", samples + "linux-rhel/fleet-os-version.rhel9.json"}, 2, "NAME=FILE"},
		{"unknown host", append([]string{"report", "--host", "nope"}, mac...), 2, `--host "nope": not in the input (hosts: 192-168-0-4.example.ro)`},
		{"facts and input", []string{"report", "--facts", "x.json", "--input", "y.log"}, 2, "not both"},
		{"fail-under met", append([]string{"report", "--fail-under", "10"}, mac...), 0, ""},
		{"fail-under missed", append([]string{"report", "--fail-under", "90"}, mac...), 1, "below --fail-under 90.0: 192-168-0-4.example.ro"},
		{"no osquery for live collection", []string{"report", "--osqueryi", "/no/such/osqueryi"}, 2, "install osquery"},
		{"unknown command", []string{"reprot"}, 2, `unknown command "reprot"`},
		{"fail-under NaN", append([]string{"report", "--fail-under", "NaN"}, mac...), 2, "--fail-under NaN: want a score from 0 to 100"},
		{"fail-under above 100", append([]string{"report", "--fail-under", "150"}, mac...), 2, "--fail-under 150: want a score from 0 to 100"},
		{"flag after the files", append(append([]string{"report"}, mac...), "--format", "json"), 2, "--format: flags go before the file names"},
		{"mistyped flag", []string{"report", "--formt", "json"}, 2, "flag provided but not defined: -formt"},
		{"misspelt query name", []string{"report", "os_verison=" + samples + "linux-rhel/fleet-os-version.rhel9.json"}, 2, `"os_verison" is not a catalogue query name`},
		{"unbound inventory with several hosts", []string{"report", "--inventory", unbound, "../../testdata/hosts/rhel-9.bundle.json", "../../testdata/hosts/macos-14.bundle.json"}, 2,
			"names no device (device: serial, uuid or hostname) but the input has 2 hosts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code == 2 && out != "" {
				t.Errorf("a usage error printed on stdout: %.200q", out)
			}
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr: %s)", code, tt.code, errOut)
			}
			if tt.wantErr != "" && !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.wantErr)
			}
		})
	}
}

// TestReportOutputAtomic: --output replaces the file only when the whole
// report was produced; a failing run leaves the previous report alone (B14).
func TestReportOutputAtomic(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.json")
	if code, _, errOut := runCLI(t, append([]string{"report", "--format", "json", "--output", out}, macosCapture(t)...)...); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	good, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal(good, &rep); err != nil || rep["host"] != "192-168-0-4.example.ro" {
		t.Fatalf("report not a single-host JSON object: %v %v", err, rep["host"])
	}
	merged := writeTemp(t, "merged.json", mergedStreams)
	if code, _, _ := runCLI(t, "report", "--output", out, merged); code != 2 {
		t.Fatalf("bad input exit %d, want 2", code)
	}
	after, _ := os.ReadFile(out)
	if string(after) != string(good) {
		t.Error("a failed run changed the existing report")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestReportJSONKeys(t *testing.T) {
	code, out, errOut := runCLI(t, "report", "--format", "json", "../../testdata/bugcases/B11.ndjson")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var fleet struct {
		Hosts []map[string]json.RawMessage `json:"hosts"`
	}
	if err := json.Unmarshal([]byte(out), &fleet); err != nil || len(fleet.Hosts) != 3 {
		t.Fatalf("want {hosts: [3]}: %v", err)
	}
	for _, k := range []string{"host", "overall_score", "tier", "coverage", "model_version", "properties"} {
		if _, ok := fleet.Hosts[0][k]; !ok {
			t.Errorf("key %s missing", k)
		}
	}
	var props []map[string]json.RawMessage
	json.Unmarshal(fleet.Hosts[0]["properties"], &props)
	if len(props) != 7 {
		t.Fatalf("%d properties", len(props))
	}
	for _, k := range []string{"key", "letter", "title", "score", "checks"} {
		if _, ok := props[0][k]; !ok {
			t.Errorf("property key %s missing", k)
		}
	}
	var checks []map[string]json.RawMessage
	json.Unmarshal(props[0]["checks"], &checks)
	for _, k := range []string{"check_id", "title", "status", "detail", "evidence", "remediation", "controls"} {
		if _, ok := checks[0][k]; !ok {
			t.Errorf("check key %s missing", k)
		}
	}
}

func TestFactsAndChecksCommands(t *testing.T) {
	code, out, errOut := runCLI(t, append([]string{"facts"}, macosCapture(t)...)...)
	if code != 0 {
		t.Fatalf("facts exit %d: %s", code, errOut)
	}
	factsFile := writeTemp(t, "facts.json", out)
	// The facts document scores the same as the input it came from.
	_, fromFacts, _ := runCLI(t, "report", "--format", "json", "--facts", factsFile)
	_, fromInput, _ := runCLI(t, append([]string{"report", "--format", "json"}, macosCapture(t)...)...)
	if fromFacts != fromInput {
		t.Error("report --facts differs from report --input on the same data")
	}
	bad := writeTemp(t, "bad-facts.json", `{"schema_version": "1.0", "hots": "x"}`)
	if code, _, errOut := runCLI(t, "report", "--facts", bad); code != 2 || !strings.Contains(errOut, `unknown field "hots"`) {
		t.Errorf("bad facts: exit %d, %s", code, errOut)
	}
	code, out, _ = runCLI(t, "checks", "--format", "json")
	var cat []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &cat) != nil || len(cat) != 26 || cat[0]["check_id"] != "MON-01" || cat[25]["check_id"] != "CUR-04" {
		t.Errorf("checks: exit %d, %d entries", code, len(cat))
	}
	code, out, _ = runCLI(t, "checks", "--policy", "../../data/examples/policy.yaml")
	if code != 0 || !strings.Contains(out, "ORG-01") || !strings.Contains(out, "ORG-02") {
		t.Errorf("checks --policy does not list the custom checks: %d\n%s", code, out)
	}
}
