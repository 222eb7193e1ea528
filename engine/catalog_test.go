package engine

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/miccmac/miccmac-osq/data"
)

// canonicalChecks are the 26 ids and titles, verbatim from CHECKS.md.
var canonicalChecks = []struct{ id, property, title string }{
	{"MON-01", "monitored", "Endpoint security logging enabled"},
	{"MON-02", "monitored", "Logs forwarded to a centralized SIEM / log platform"},
	{"MON-03", "monitored", "EDR / endpoint telemetry agent installed and healthy"},
	{"MON-04", "monitored", "Audit policy covers authentication, privilege, and process events"},
	{"INV-01", "inventoried", "Device present in the authoritative asset inventory"},
	{"INV-02", "inventoried", "Hardware attributes recorded (make, model, serial)"},
	{"INV-03", "inventoried", "Installed-software inventory maintained for the device"},
	{"INV-04", "inventoried", "Inventory record reviewed within the policy interval"},
	{"CTL-01", "controlled", "Device enrolled in central configuration management / MDM"},
	{"CTL-02", "controlled", "Administrative privileges restricted (least privilege)"},
	{"CTL-03", "controlled", "Access governed by identity-aware / conditional-access policy"},
	{"CTL-04", "controlled", "Configuration baseline enforced and drift-monitored"},
	{"CLM-01", "claimed", "Accountable business owner assigned and recorded"},
	{"CLM-02", "claimed", "Responsible system administrator identified"},
	{"CLM-03", "claimed", "Business purpose and data classification documented"},
	{"MIN-01", "minimized", "Unnecessary services and daemons disabled"},
	{"MIN-02", "minimized", "Unused or unauthorized software removed"},
	{"MIN-03", "minimized", "Host firewall enabled; unused network ports closed"},
	{"MIN-04", "minimized", "Recognized hardening baseline (e.g. CIS Benchmark) applied"},
	{"ASM-01", "assessed", "Authenticated vulnerability scanning performed on schedule"},
	{"ASM-02", "assessed", "Configuration / compliance assessment performed on schedule"},
	{"ASM-03", "assessed", "Findings tracked to remediation against defined SLAs"},
	{"CUR-01", "current", "Operating-system patch level within policy"},
	{"CUR-02", "current", "Third-party software updated within policy"},
	{"CUR-03", "current", "Firmware / BIOS current"},
	{"CUR-04", "current", "Certificates and cryptographic material valid and unexpired"},
}

func TestCatalog_IdsTitlesOrder(t *testing.T) {
	cat := Catalog()
	if len(cat) != len(canonicalChecks) {
		t.Fatalf("Catalog() has %d checks, want %d", len(cat), len(canonicalChecks))
	}
	ids := CanonicalIDs()
	for i, want := range canonicalChecks {
		if ids[i] != want.id {
			t.Errorf("CanonicalIDs()[%d] = %s, want %s", i, ids[i], want.id)
		}
		got := cat[i]
		if got.ID != want.id || got.Title != want.title || got.Property != want.property {
			t.Errorf("Catalog()[%d] = %s %q (%s), want %s %q (%s)", i, got.ID, got.Title, got.Property, want.id, want.title, want.property)
		}
		if got.Remediation == "" || len(got.Controls.NIST80053) == 0 || len(got.Controls.CISv8) == 0 || len(got.Controls.ISO27001) == 0 {
			t.Errorf("%s: remediation or control references missing: %+v", got.ID, got)
		}
	}
}

func TestCatalog_Values(t *testing.T) {
	byID := map[string]CheckInfo{}
	for _, c := range Catalog() {
		byID[c.ID] = c
	}
	cases := []struct {
		id, letter, ig, freq, mag, risk, nist, cis, iso, csf, zt string
	}{
		{"MON-01", "M", "IG1", "HIGH", "MEDIUM", "HIGH", "AU-2", "8.2", "A.8.15", "PR.PS-04", "Tenet 5 (monitor asset integrity and posture),CDM"},
		{"MON-03", "M", "IG2", "HIGH", "HIGH", "CRITICAL", "SI-4", "13.7", "A.8.7,A.8.16", "DE.CM-09", "Tenet 5 (monitor asset integrity and posture),CDM"},
		{"INV-03", "I", "IG1", "MEDIUM", "MEDIUM", "MODERATE", "CM-8(2)", "2.1", "A.5.9", "ID.AM-02", "Resource identification"},
		{"INV-04", "I", "IG2", "LOW", "LOW", "LOW", "PM-5", "1.1", "A.5.9", "ID.AM-08", "Resource identification"},
		{"CTL-03", "C", "IG2", "MEDIUM", "HIGH", "HIGH", "AC-3", "6.7", "A.5.15,A.8.3", "PR.AA-03", "Tenet 4"},
		{"CLM-01", "C", "IG1", "LOW", "LOW", "LOW", "CM-8", "1.1", "A.5.9", "", "Accountable subjects and assets"},
		{"CLM-03", "C", "IG2", "LOW", "MEDIUM", "LOW", "RA-2", "3.2", "A.5.12,A.5.9", "ID.AM-05", "Accountable subjects and assets"},
		{"MIN-02", "M", "IG1", "MEDIUM", "MEDIUM", "MODERATE", "CM-7(1)", "2.3", "A.8.19", "PR.PS-02,PR.PS-05", "Reduce implicit trust zones and attack surface"},
		{"ASM-02", "A", "IG2", "LOW", "MEDIUM", "LOW", "CA-2", "7.6", "A.8.9", "ID.IM-01", "CDM"},
		{"CUR-04", "C", "IG2", "MEDIUM", "MEDIUM", "MODERATE", "SC-12", "3.10", "A.8.24", "PR.DS-02", "Most secure state"},
	}
	for _, c := range cases {
		got := byID[c.id]
		j := func(s []string) string { return strings.Join(s, ",") }
		if got.Letter != c.letter || got.CISIG != c.ig || got.Frequency != c.freq || got.Magnitude != c.mag || got.Risk != c.risk ||
			j(got.Controls.NIST80053) != c.nist || j(got.Controls.CISv8) != c.cis || j(got.Controls.ISO27001) != c.iso ||
			j(got.Controls.NISTCSF2) != c.csf || j(got.Controls.NIST800207) != c.zt {
			t.Errorf("%s = %+v, want %+v", c.id, got, c)
		}
	}
}

func TestProperties(t *testing.T) {
	ps := Properties()
	var keys, letters []string
	for _, p := range ps {
		keys = append(keys, p.Key)
		letters = append(letters, p.Letter)
		if len(p.Controls.NIST80053) == 0 || len(p.Controls.NIST800207) == 0 || len(p.Controls.CISv8) == 0 {
			t.Errorf("property %s lacks mappings: %+v", p.Key, p.Controls)
		}
	}
	if got := strings.Join(keys, " "); got != "monitored inventoried controlled claimed minimized assessed current" {
		t.Errorf("property order = %s", got)
	}
	if got := strings.Join(letters, ""); got != "MICCMAC" {
		t.Errorf("letters = %s", got)
	}
	if got := strings.Join(ps[2].Controls.NIST800207, ","); got != "Tenet 4,Tenet 7" {
		t.Errorf("controlled 800-207 = %s", got)
	}
}

func TestRemediationPerOS(t *testing.T) {
	cat := builtinCatalog()
	lin := cat.remediationFor("MON-01", "linux")
	win := cat.remediationFor("MON-01", "windows")
	def := cat.remediationFor("MON-01", "")
	if !strings.Contains(lin, "journald") || !strings.Contains(win, "EventLog") || lin == def || win == def {
		t.Errorf("MON-01 remediation not per OS: linux %q windows %q default %q", lin, win, def)
	}
	if got := cat.remediationFor("INV-01", "darwin"); got != cat.remediationFor("INV-01", "") {
		t.Errorf("INV-01 darwin should fall back to default, got %q", got)
	}
}

func TestRiskRating(t *testing.T) {
	cases := []struct{ f, m, want string }{
		{"LOW", "LOW", "LOW"}, {"LOW", "MEDIUM", "LOW"}, {"MEDIUM", "LOW", "LOW"},
		{"LOW", "HIGH", "MODERATE"}, {"MEDIUM", "MEDIUM", "MODERATE"}, {"HIGH", "LOW", "MODERATE"},
		{"MEDIUM", "HIGH", "HIGH"}, {"HIGH", "MEDIUM", "HIGH"},
		{"HIGH", "HIGH", "CRITICAL"},
		{"high", "HIGH", ""}, {"", "LOW", ""},
	}
	for _, c := range cases {
		if got := RiskRating(c.f, c.m); got != c.want {
			t.Errorf("RiskRating(%q, %q) = %q, want %q", c.f, c.m, got, c.want)
		}
	}
}

// TestEveryCheckHasEvaluator fails, listing them, while any catalogue check
// has no registered evaluator, and when an evaluator has no catalogue entry.
func TestEveryCheckHasEvaluator(t *testing.T) {
	var missing []string
	known := map[string]bool{}
	for _, c := range Catalog() {
		known[c.ID] = true
		if evaluators[c.ID] == nil {
			missing = append(missing, c.ID)
		}
	}
	if len(missing) > 0 {
		t.Errorf("checks without an evaluator: %s", strings.Join(missing, ", "))
	}
	for _, id := range registeredIDs() {
		if !known[id] {
			t.Errorf("evaluator %s has no entry in data/checks.yaml", id)
		}
	}
}

// TestMonChecksRegistered asserts this helper's own checks are registered.
func TestMonChecksRegistered(t *testing.T) {
	for _, id := range []string{"MON-01", "MON-02", "MON-03", "MON-04", "INV-01", "INV-02", "INV-03", "INV-04", "CLM-01", "CLM-02", "CLM-03"} {
		if evaluators[id] == nil {
			t.Errorf("%s is not registered", id)
		}
	}
}

func TestLoadCatalog_Errors(t *testing.T) {
	good, err := data.FS.ReadFile(checksFile)
	if err != nil {
		t.Fatal(err)
	}
	mappings, err := data.FS.ReadFile(mappingsFile)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, checks, mappings, want string
	}{
		{"unknown key", strings.Replace(string(good), "    cis_ig: IG1\n", "    cis_ig: IG1\n    colour: red\n", 1), string(mappings), "field colour not found"},
		{"bad ig", strings.Replace(string(good), "cis_ig: IG1", "cis_ig: IG4", 1), string(mappings), "checks.yaml:16: check MON-01: cis_ig \"IG4\""},
		{"bad magnitude", strings.Replace(string(good), "magnitude: MEDIUM", "magnitude: HUGE", 1), string(mappings), "magnitude \"HUGE\""},
		{"unknown property", strings.Replace(string(good), "property: monitored", "property: watched", 1), string(mappings), "property \"watched\""},
		{"mapping missing", string(good), strings.Replace(string(mappings), "  MON-02:", "  XXX-02:", 1), "no mapping for MON-02"},
		{"duplicate id", strings.Replace(string(good), "id: MON-02", "id: MON-01", 1), string(mappings), "id listed twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{checksFile: {Data: []byte(c.checks)}, mappingsFile: {Data: []byte(c.mappings)}}
			_, err := loadCatalog(fsys)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("loadCatalog error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestMonAgentCatalogs(t *testing.T) {
	cats, err := loadAgentCatalogs(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"edr", "forwarders"} {
		entries := cats[name]
		if len(entries) < 10 {
			t.Errorf("agents-%s.yaml has %d entries, want at least 10", name, len(entries))
		}
		for _, a := range entries {
			if a.Kind != "" && a.Kind != "telemetry" {
				t.Errorf("agents-%s.yaml %s: kind %q, want empty or telemetry", name, a.Name, a.Kind)
			}
			for _, p := range a.Platforms {
				if p != "linux" && p != "darwin" && p != "windows" {
					t.Errorf("agents-%s.yaml %s: platform %q", name, a.Name, p)
				}
			}
		}
	}
}

func TestPlaceholders(t *testing.T) {
	p := builtinPlaceholders()
	cases := []struct {
		v    string
		want bool
	}{
		{"To Be Filled By O.E.M.", true}, {"  to be filled by o.e.m. ", true}, {"Default string", true},
		{"System Serial Number", true}, {"Not Specified", true}, {"0", true}, {"None", true},
		{"0000000000", true}, {"XXXXXXXX", true}, {"0123456789", true}, {"INVALID", true},
		{"Dell Inc.", false}, {"PF2ABCDE", false}, {"Default string 2", false}, {"OptiPlex 7090", false},
		{"VMware-56 4d 8a 3b", false},
	}
	for _, c := range cases {
		if got := isPlaceholder(p.hardware, c.v); got != c.want {
			t.Errorf("isPlaceholder(%q) = %v, want %v", c.v, got, c.want)
		}
	}
	if _, err := loadPlaceholders(fstest.MapFS{placeholdersFile: {Data: []byte("hardware: [OEM, oem]\nassignee: [TBD]\n")}}); err == nil ||
		!strings.Contains(err.Error(), "listed twice") {
		t.Errorf("duplicate placeholder not rejected: %v", err)
	}
}
