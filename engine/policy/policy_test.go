package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var ids = []string{"MON-01", "MIN-03", "CUR-01"}

func TestDefaultMatchesChecksMd(t *testing.T) {
	p := Default()
	th := p.Thresholds
	if th.LinuxPatchMaxAgeDays != 14 || th.WindowsPatchMaxAgeDays != 35 || th.InventoryReviewDays != 90 ||
		th.CertificateWarningDays != 30 || th.FirmwareMaxAgeDays != 730 || th.MaxAdmins != 3 || th.BaselineRunMaxAgeDays != 7 {
		t.Errorf("defaults differ from CHECKS.md: %+v", th)
	}
	if got := p.AllowedPorts["linux"]; len(got) != 1 || got[0] != "22/tcp" {
		t.Errorf("linux allowed ports = %v", got)
	}
	if !p.EnrollmentCountsAsInventory || p.Tiers.ZeroTrustReady != 90 || p.Tiers.Defensible != 70 || p.Tiers.Developing != 40 {
		t.Errorf("defaults: %+v", p)
	}
}

func TestParseOverridesKeyByKey(t *testing.T) {
	p, err := Parse("p.yaml", []byte(`
thresholds:
  max_admins: 5
allowed_ports:
  linux: ["22/tcp", "443/tcp"]
catalog_additions:
  edr: [acme-edr]
exclude:
  MIN-03: "Lab network, firewall handled upstream"
weights:
  current: 2
`), ids)
	if err != nil {
		t.Fatal(err)
	}
	if p.Thresholds.MaxAdmins != 5 || p.Thresholds.LinuxPatchMaxAgeDays != 14 {
		t.Errorf("thresholds = %+v (max_admins overridden, the rest default)", p.Thresholds)
	}
	if got := p.AllowedPorts["linux"]; len(got) != 2 || p.AllowedPorts["darwin"][0] != "22/tcp" {
		t.Errorf("allowed_ports = %v (linux overridden, darwin default)", p.AllowedPorts)
	}
	if p.Weights["current"] != 2 || p.Weights["monitored"] != 1 {
		t.Errorf("weights = %v", p.Weights)
	}
	if p.Exclude["MIN-03"] == "" || p.Names("edr")[0] != "acme-edr" {
		t.Errorf("exclude/catalog additions lost: %+v", p)
	}
	if p.Hash() == Default().Hash() {
		t.Error("hash did not change with the policy")
	}
	if p.Source != "p.yaml" {
		t.Errorf("source = %q", p.Source)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown top key", "thresholdz:\n  max_admins: 2\n", `p.yaml:1: unknown key "thresholdz" at the top level`},
		{"unknown nested key", "thresholds:\n  max_admin: 2\n", `p.yaml:2: unknown key "max_admin" in thresholds`},
		{"wrong type", "thresholds:\n  max_admins: lots\n", "p.yaml:2: thresholds.max_admins: wrong type: cannot read !!str `lots` into int"},
		{"list for a map", "weights: [1, 2]\n", "p.yaml:1: weights: expected a mapping, got a list"},
		{"unknown check id", "exclude:\n  MIN-99: no\n", `p.yaml:2: exclude: unknown check id "MIN-99"`},
		{"exclude without reason", "exclude:\n  MIN-03: \"\"\n", "p.yaml:2: exclude: MIN-03 needs a reason"},
		{"unknown property weight", "weights:\n  secure: 2\n", `p.yaml:2: weights: unknown property "secure"`},
		{"huge weight", "weights:\n  current: 1e308\n", "p.yaml:2: weights.current: want a weight from 0 to 100, got 1e+308"},
		{"all weights zero", "weights: {monitored: 0, inventoried: 0, controlled: 0, claimed: 0, minimized: 0, assessed: 0, current: 0}\n", "p.yaml:1: weights: at least one property needs a weight above 0"},
		{"bad port", "allowed_ports:\n  linux: [\"ssh\"]\n", `p.yaml:2: allowed_ports.linux: "ssh" is not PORT/tcp or PORT/udp`},
		{"tier order", "tiers:\n  defensible: 95\n", "p.yaml:1: tiers: need 0 <= developing < defensible < zero_trust_ready <= 100"},
		{"zero threshold", "thresholds:\n  max_admins: 0\n", "p.yaml:2: thresholds.max_admins: must be a positive whole number, got 0"},
		{"not yaml", "thresholds: [\n", "p.yaml: line 1: not valid YAML"},
		{"scalar policy", "hello\n", "p.yaml:1: the policy must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tt.yaml), ids)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

const goodCustom = `
custom_checks:
  - id: ORG-01
    title: No remote-control tools running
    property: minimized
    controls: {nist_800_53: [CM-7], cis_v8: ["2.3"]}
    cis_ig: IG1
    frequency: MEDIUM
    magnitude: HIGH
    remediation: Uninstall TeamViewer.
    query: SELECT name FROM processes WHERE name IN ('TeamViewer', 'AnyDesk');
    platforms: [linux, darwin, windows]
    fail_when: {rows: any}
`

func TestCustomChecks(t *testing.T) {
	p, err := Parse("p.yaml", []byte(goodCustom), ids)
	if err != nil {
		t.Fatal(err)
	}
	c := p.CustomChecks[0]
	q := c.CatalogQuery()
	if q.Name != "custom_org_01" || q.Feeds[0] != "custom:ORG-01" || q.Interval != 3600 || len(q.Platforms) != 3 {
		t.Errorf("catalog query = %+v", q)
	}
	if n := len(p.Catalog(nil)); n != 1 {
		t.Errorf("catalog has %d custom queries", n)
	}
	bad := []struct {
		name, from, to, want string
	}{
		{"eighth property", "property: minimized", "property: secured", `custom_checks[0] (ORG-01).property: "secured" is not one of the seven properties`},
		{"built-in id", "id: ORG-01", "id: MON-01", "custom_checks[0] (MON-01).id: MON-01 is a built-in check"},
		{"bad id", "id: ORG-01", "id: org1", `custom_checks[0] (org1).id: "org1" is not an id like ORG-01`},
		{"misspelt table", "FROM processes", "FROM procesess", "query: table procesess is not an osquery 5.23.1 core table"},
		{"table not on platform", "FROM processes WHERE name IN ('TeamViewer', 'AnyDesk')", "FROM deb_packages", "table deb_packages does not exist on darwin"},
		{"bad op", "fail_when: {rows: any}", "fail_when: {column: name, op: like, value: x}", `fail_when: op "like"`},
		{"no rule", "    fail_when: {rows: any}\n", "", "needs at least one of pass_when"},
		{"bad level", "frequency: MEDIUM", "frequency: SOMETIMES", `frequency: "SOMETIMES": want LOW, MEDIUM or HIGH`},
		{"unknown key", "cis_ig: IG1", "cis_ig: IG1\n    severity: high", `unknown key "severity" in custom_checks[0]`},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			src := strings.Replace(goodCustom, b.from, b.to, 1)
			if src == goodCustom {
				t.Fatal("replacement did not apply")
			}
			_, err := Parse("p.yaml", []byte(src), ids)
			if err == nil || !strings.Contains(err.Error(), b.want) {
				t.Errorf("got %v\nwant it to contain %q", err, b.want)
			}
		})
	}
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadAttestation(t *testing.T) {
	p := writeFile(t, "att.yaml", `
device: {serial: C02AAAAAAAA1}
valid_until: 2027-06-30
identity_aware_access: true
business_owner: {assigned: true, name: Finance IT}
system_administrator: {assigned: false}
business_purpose: {documented: true, data_classification: confidential}
vulnerability_scanning: {performed: true, last_scan: 2026-11-20, interval_days: 30}
finding_remediation_sla: {tracked: true, sla_days: 30}
firmware_currency: {current: true}
`)
	a, err := LoadAttestation(p)
	if err != nil {
		t.Fatal(err)
	}
	if a.Binding.Serial != "C02AAAAAAAA1" || a.ValidUntil != "2027-06-30" || !*a.IdentityAwareAccess ||
		a.BusinessOwner.Name != "Finance IT" || a.SystemAdministrator.Assigned || a.VulnerabilityScan.Last != "2026-11-20" ||
		*a.VulnerabilityScan.IntervalDays != 30 || *a.FindingRemediation.SLADays != 30 || !a.FirmwareCurrency.Current {
		t.Errorf("attestation = %+v", a)
	}
	for _, tt := range []struct{ body, want string }{
		{"business_owner: yes\n", "att.yaml:1: business_owner: expected a mapping of keys, got the value \"yes\""},
		{"business_owner: {assigned: maybe}\n", "business_owner.assigned: wrong type"},
		{"owner: {assigned: true}\n", `att.yaml:1: unknown key "owner" at the top level`},
		{"valid_until: soon\n", `valid_until: "soon" is not a date`},
	} {
		_, err := LoadAttestation(writeFile(t, "att.yaml", tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.body, err, tt.want)
		}
	}
}

func TestLoadInventory(t *testing.T) {
	r, err := LoadInventory(writeFile(t, "inv.json", `{"device": {"hostname": "web-01"}, "device_id": "ASSET-42", "tracked": true, "last_reviewed": "2026-10-01"}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.DeviceID != "ASSET-42" || !r.Tracked || r.Binding.Hostname != "web-01" || r.LastReviewed != "2026-10-01" {
		t.Errorf("inventory = %+v", r)
	}
	if _, err := LoadInventory(writeFile(t, "inv.yaml", "device_id: X\n")); err == nil || !strings.Contains(err.Error(), "tracked: missing") {
		t.Errorf("missing tracked: %v", err)
	}
}

func TestCheckTrusted(t *testing.T) {
	// t.TempDir lives under the world-writable /tmp: never trusted.
	p := writeFile(t, "policy.yaml", "{}\n")
	if err := CheckTrusted(p); err == nil || !strings.Contains(err.Error(), "refusing to trust it") {
		t.Errorf("file under /tmp trusted: %v", err)
	}
	if os.Geteuid() != 0 {
		t.Skip("the positive case needs root-owned directories")
	}
	dir, err := os.MkdirTemp(".", "trusted")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(f, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckTrusted(f); err != nil {
		if strings.Contains(err.Error(), "directory") {
			t.Skipf("a parent of the work tree is not root-only: %v", err)
		}
		t.Fatalf("root-owned 0644 file refused: %v", err)
	}
	if err := os.Chmod(f, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := CheckTrusted(f); err == nil || !strings.Contains(err.Error(), "writable by group or others (mode 0666)") {
		t.Errorf("world-writable file trusted: %v", err)
	}
	if err := os.Chown(f, 1000, 0); err != nil {
		t.Fatal(err)
	}
	os.Chmod(f, 0o644)
	if err := CheckTrusted(f); err == nil || !strings.Contains(err.Error(), "owned by uid 1000, not root") {
		t.Errorf("user-owned file trusted: %v", err)
	}
}

// TestShippedExamples loads the documented example files.
func TestShippedExamples(t *testing.T) {
	p, err := Load("../../data/examples/policy.yaml", []string{"CUR-03"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Thresholds.MaxAdmins != 2 || len(p.CustomChecks) != 2 || p.Exclude["CUR-03"] == "" {
		t.Errorf("example policy = %+v", p)
	}
	a, err := LoadAttestation("../../data/examples/attestation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if a.Binding.Serial != "C02AAAAAAAA1" || !a.FirmwareCurrency.Current {
		t.Errorf("example attestation = %+v", a)
	}
	if _, err := LoadInventory("../../data/examples/inventory.yaml"); err != nil {
		t.Fatal(err)
	}
}

func TestLoadDeviceFiles(t *testing.T) {
	// Environment paths under /tmp are refused: an ordinary user could write them.
	p := writeFile(t, "policy.yaml", "thresholds: {max_admins: 1}\n")
	t.Setenv(EnvPolicy, p)
	t.Setenv(EnvAttestation, "")
	t.Setenv(EnvInventory, "")
	if _, err := LoadDeviceFiles(nil); err == nil || !strings.Contains(err.Error(), "refusing "+p) {
		t.Errorf("untrusted policy accepted: %v", err)
	}
	t.Setenv(EnvPolicy, "/no/such/policy.yaml")
	if _, err := LoadDeviceFiles(nil); err == nil || !strings.Contains(err.Error(), "cannot read /no/such/policy.yaml (named by MICCMAC_POLICY)") {
		t.Errorf("missing policy: %v", err)
	}
	if Dir() == "/etc/miccmac" {
		if _, err := os.Stat(Dir()); err == nil {
			t.Skip("this machine has /etc/miccmac")
		}
	}
	t.Setenv(EnvPolicy, "")
	files, err := LoadDeviceFiles(nil)
	if err != nil || files.Policy.Hash() != Default().Hash() || files.Attestation != nil || files.Inventory != nil {
		t.Errorf("without files: %+v, %v", files, err)
	}
}
