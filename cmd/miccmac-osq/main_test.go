package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/queries/osqsim"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/golden")

// The test binary doubles as a fake osqueryi: with MICCMAC_FAKE_OSQUERYI set to
// a fixture path it answers `osqueryi --json SQL` from that fixture through
// osqsim, the way osqueryi does: JSON on stdout, glog noise on stderr, and a
// failed query as exit 0 with "[]" and "Error: ..." (B14). It runs from init,
// before the testing package parses flags.
func init() {
	if fixture := os.Getenv("MICCMAC_FAKE_OSQUERYI"); fixture != "" {
		os.Exit(fakeOsqueryi(fixture, os.Args[1:]))
	}
}

func fakeOsqueryi(fixture string, args []string) int {
	if len(args) < 2 || args[len(args)-2] != "--json" {
		fmt.Fprintln(os.Stderr, "fake osqueryi: want --json SQL")
		return 1
	}
	sql := args[len(args)-1]
	fmt.Fprintln(os.Stderr, "I1203 10:00:00.000000 12345 init.cpp:400] osquery initialized [version=5.23.1]")
	fx, err := osqsim.LoadFixture(fixture)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	db, err := fx.Open()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	rows, err := db.Query(context.Background(), sql)
	if err != nil {
		fmt.Print("[\n\n]\n")
		fmt.Fprintln(os.Stderr, "Error: "+err.Error())
		return 0
	}
	b, _ := json.MarshalIndent(rows, "", "  ")
	fmt.Println(string(b))
	return 0
}

// runCLI runs the CLI in-process and returns exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"miccmac-osq"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/miccmac-osq -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run go test ./cmd/miccmac-osq -update and review the diff):\n%s", path, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i+1, w, g)
		}
	}
	return ""
}

const (
	samples = "../../testdata/samples/"
	hosts   = "../../testdata/hosts/"
)

func macosCapture(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(samples + "macos/it-compliance-*.ndjson")
	if err != nil || len(files) == 0 {
		t.Fatalf("no macOS capture: %v", err)
	}
	return files
}

func TestReportGolden(t *testing.T) {
	mac := macosCapture(t)
	deb, _ := filepath.Glob(samples + "linux-debian/*.ndjson")
	tests := []struct {
		name string
		args []string
	}{
		{"macos-2017.txt", append([]string{"report"}, mac...)},
		{"macos-2017.json", append([]string{"report", "--format", "json"}, mac...)},
		{"debian-2017-risk.md", append([]string{"report", "--format", "markdown", "--risk-register", "--methodology", "cisa-ztmm"}, deb...)},
		{"multi-host-B11.txt", []string{"report", "../../testdata/bugcases/B11.ndjson"}},
		// The five fixture hosts, with their attestation and inventory where they have one.
		{"ubuntu-2404.txt", []string{"report", "--risk-register", "--attestation", hosts + "ubuntu-2404.attestation.yaml", "--inventory", hosts + "ubuntu-2404.inventory.yaml", hosts + "ubuntu-2404.bundle.json"}},
		{"rhel-9.md", []string{"report", "--format", "markdown", "--attestation", hosts + "rhel-9.attestation.yaml", "--inventory", hosts + "rhel-9.inventory.yaml", hosts + "rhel-9.bundle.json"}},
		{"macos-14.json", []string{"report", "--format", "json", "--methodology", "cmmi", "--attestation", hosts + "macos-14.attestation.yaml", hosts + "macos-14.bundle.json"}},
		{"windows-fleet.txt", []string{"report", "--policy", "../../data/examples/policy.yaml", hosts + "windows-11.bundle.json", hosts + "windows-server-2019.bundle.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden(t, tt.name, out)
		})
	}
}
