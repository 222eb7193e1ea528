package engine

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// monStatusEvals returns evaluators that answer the given status per id
// (PASS for ids not listed).
func monStatusEvals(st map[string]Status) map[string]CheckFunc {
	out := map[string]CheckFunc{}
	for _, c := range Catalog() {
		s, ok := st[c.ID]
		if !ok {
			s = Pass
		}
		out[c.ID] = func(*Env) Outcome { return outcome(s, nil, "test verdict %s", s) }
	}
	return out
}

// monUsableDoc is a document the engine considers collected.
func monUsableDoc() *facts.Document {
	return monDoc("linux", monQuery("os_version", facts.StateOK, 1, ""))
}

// monMixed is the hand-computed scenario of TestAssess_ScoringMath.
var monMixed = map[string]Status{
	"MON-01": Pass, "MON-02": Partial, "MON-03": Fail, "MON-04": Unknown, // 150/3 = 50
	"INV-01": Pass, "INV-02": Pass, "INV-03": Partial, "INV-04": NotApplicable, // 250/3 = 83.33
	"CTL-01": Pass, "CTL-02": Pass, "CTL-03": Pass, "CTL-04": Pass, // 100
	"CLM-01": Unknown, "CLM-02": Unknown, "CLM-03": Unknown, // no score
	"MIN-01": Fail, "MIN-02": Pass, "MIN-03": Partial, "MIN-04": Error, // 150/3 = 50
	"ASM-01": Pass, "ASM-02": Pass, "ASM-03": Partial, // 250/3 = 83.33
	"CUR-01": Fail, "CUR-02": Fail, "CUR-03": Pass, "CUR-04": Pass, // 50
}

func monAssess(t *testing.T, doc *facts.Document, pol *policy.Policy, opts Options, evals map[string]CheckFunc) *Assessment {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = monNow
	}
	a, err := assess(doc, pol, opts, evals)
	if err != nil {
		t.Fatalf("assess: %v", err)
	}
	return a
}

func monScore(s *float64) string {
	if s == nil {
		return "nil"
	}
	b, _ := json.Marshal(*s)
	return string(b)
}

func TestAssess_ScoringMath(t *testing.T) {
	a := monAssess(t, monUsableDoc(), policy.Default(), Options{}, monStatusEvals(monMixed))
	wantProps := map[string]string{"monitored": "50", "inventoried": "83.3", "controlled": "100", "claimed": "nil",
		"minimized": "50", "assessed": "83.3", "current": "50"}
	for _, p := range a.Properties {
		if got := monScore(p.Score); got != wantProps[p.Key] {
			t.Errorf("property %s score = %s, want %s", p.Key, got, wantProps[p.Key])
		}
	}
	// (50 + 83.33 + 100 + 50 + 83.33 + 50) / 6 = 69.44
	if got := monScore(a.OverallScore); got != "69.4" {
		t.Errorf("overall = %s, want 69.4", got)
	}
	if a.Tier != TierDeveloping {
		t.Errorf("tier = %s, want Developing", a.Tier)
	}
	// 25 applicable (26 - 1 N/A), 20 scored (minus 4 UNKNOWN, 1 ERROR).
	if a.Coverage != 0.8 {
		t.Errorf("coverage = %v, want 0.8", a.Coverage)
	}
	wantCounts := map[Status]int{Pass: 12, Partial: 4, Fail: 4, NotApplicable: 1, Unknown: 4, Error: 1}
	for s, n := range wantCounts {
		if a.Counts[s] != n {
			t.Errorf("counts[%s] = %d, want %d", s, a.Counts[s], n)
		}
	}
	inv := a.Properties[1]
	if inv.Coverage != 1 || a.Properties[0].Coverage != 0.75 || a.Properties[3].Coverage != 0 {
		t.Errorf("property coverage inventoried %v monitored %v claimed %v, want 1, 0.75, 0",
			inv.Coverage, a.Properties[0].Coverage, a.Properties[3].Coverage)
	}
	if a.ModelVersion != ModelVersion || a.PolicyHash != policy.Default().Hash() || a.AssessedAt != monNow.Unix() || a.Host != "host-1" {
		t.Errorf("header = %q %q %d %q", a.ModelVersion, a.PolicyHash, a.AssessedAt, a.Host)
	}
	for _, p := range a.Properties {
		for _, c := range p.Checks {
			pts, scored := c.Status.Points()
			if scored != (c.Score != nil) || (scored && *c.Score != pts) {
				t.Errorf("%s: status %s with score %s", c.CheckID, c.Status, monScore(c.Score))
			}
			if c.Evidence == nil || c.Remediation == "" || c.Risk == "" || c.CISIG == "" || c.Letter == "" {
				t.Errorf("%s: result not filled: %+v", c.CheckID, c)
			}
		}
	}
}

func TestAssess_RiskRegisterOrderAndGain(t *testing.T) {
	a := monAssess(t, monUsableDoc(), policy.Default(), Options{}, monStatusEvals(monMixed))
	// CRITICAL before MODERATE; within a rating IG1 before IG2; then id.
	want := []struct {
		id   string
		risk string
		gain float64
	}{
		{"CUR-01", "CRITICAL", 4.2}, // current 50 -> 75: +25/6
		{"CUR-02", "CRITICAL", 4.2},
		{"MIN-03", "CRITICAL", 2.8}, // minimized 50 -> 66.7: +16.7/6
		{"MON-03", "CRITICAL", 5.6}, // monitored 50 -> 83.3: +33.3/6
		{"ASM-03", "MODERATE", 2.8},
		{"INV-03", "MODERATE", 2.8},
		{"MIN-01", "MODERATE", 5.6},
		{"MON-02", "MODERATE", 2.8},
	}
	if len(a.RiskRegister) != len(want) {
		t.Fatalf("risk register has %d entries, want %d: %+v", len(a.RiskRegister), len(want), a.RiskRegister)
	}
	for i, w := range want {
		got := a.RiskRegister[i]
		if got.CheckID != w.id || got.Risk != w.risk || got.Gain != w.gain || got.Remediation == "" {
			t.Errorf("risk[%d] = %s %s gain %v, want %s %s gain %v", i, got.CheckID, got.Risk, got.Gain, w.id, w.risk, w.gain)
		}
	}
}

func TestAssess_Weights(t *testing.T) {
	cases := []struct {
		name    string
		weights map[string]float64
		want    string
		tier    string
	}{
		{"monitored triple", map[string]float64{"monitored": 3, "inventoried": 1, "controlled": 1, "claimed": 1, "minimized": 1, "assessed": 1, "current": 1}, "64.6", TierDeveloping},
		{"current zero", map[string]float64{"monitored": 1, "inventoried": 1, "controlled": 1, "claimed": 1, "minimized": 1, "assessed": 1, "current": 0}, "73.3", TierDefensible},
		{"missing key counts 1", map[string]float64{"current": 0}, "73.3", TierDefensible},
		{"no weights = equal", nil, "69.4", TierDeveloping},
		{"all scored weights zero", map[string]float64{"monitored": 0, "inventoried": 0, "controlled": 0, "minimized": 0, "assessed": 0, "current": 0}, "nil", TierUnassessed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pol := policy.Default()
			pol.Weights = c.weights
			a := monAssess(t, monUsableDoc(), pol, Options{}, monStatusEvals(monMixed))
			if got := monScore(a.OverallScore); got != c.want || a.Tier != c.tier {
				t.Errorf("overall = %s %s, want %s %s", got, a.Tier, c.want, c.tier)
			}
		})
	}
	pol := policy.Default()
	pol.Weights = map[string]float64{"monitored": -1}
	if _, err := assess(monUsableDoc(), pol, Options{}, monStatusEvals(nil)); err == nil || !strings.Contains(err.Error(), "weights.monitored") {
		t.Errorf("negative weight error = %v", err)
	}
}

func TestAssess_Exclusions(t *testing.T) {
	pol := policy.Default()
	pol.Exclude = map[string]string{"MON-03": "kiosk without EDR licence", "XYZ-99": "typo"}
	evals := monStatusEvals(monMixed)
	evals["MON-03"] = func(*Env) Outcome { panic("an excluded check must not run") }
	a := monAssess(t, monUsableDoc(), pol, Options{}, evals)
	c := a.Properties[0].Checks[2]
	if c.CheckID != "MON-03" || c.Status != NotApplicable || c.Detail != "Excluded: kiosk without EDR licence" || c.Score != nil {
		t.Errorf("MON-03 = %s %q", c.Status, c.Detail)
	}
	// monitored: (100 + 50) / 2 = 75; overall (75 + 83.33 + 100 + 50 + 83.33 + 50) / 6 = 73.6
	if got := monScore(a.Properties[0].Score); got != "75" {
		t.Errorf("monitored = %s, want 75", got)
	}
	if got := monScore(a.OverallScore); got != "73.6" {
		t.Errorf("overall = %s, want 73.6", got)
	}
	if len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0], `"XYZ-99"`) {
		t.Errorf("warnings = %v, want one about XYZ-99", a.Warnings)
	}
	for _, r := range a.RiskRegister {
		if r.CheckID == "MON-03" {
			t.Errorf("excluded check in the risk register")
		}
	}
}

func TestTierBoundaries(t *testing.T) {
	def := policy.Default().Tiers
	cases := []struct {
		raw  float64
		want string
	}{
		{100, TierZeroTrustReady}, {90, TierZeroTrustReady}, {89.95, TierZeroTrustReady}, {89.94, TierDefensible},
		{70, TierDefensible}, {69.95, TierDefensible}, {69.94, TierDeveloping}, {40, TierDeveloping},
		{39.9, TierNotReady}, {0, TierNotReady},
	}
	for _, c := range cases {
		s := round1(c.raw)
		if got := tierFor(&s, def); got != c.want {
			t.Errorf("tier(%v -> %v) = %s, want %s", c.raw, s, got, c.want)
		}
	}
	if got := tierFor(nil, def); got != TierUnassessed {
		t.Errorf("tier(nil) = %s", got)
	}
	custom := policy.Tiers{ZeroTrustReady: 80, Defensible: 60, Developing: 30}
	for raw, want := range map[float64]string{85: TierZeroTrustReady, 79.9: TierDefensible, 60: TierDefensible, 30: TierDeveloping, 29.9: TierNotReady} {
		if got := tierFor(&raw, custom); got != want {
			t.Errorf("custom tier(%v) = %s, want %s", raw, got, want)
		}
	}
	if got := tierFor(scorePtr(95), policy.Tiers{}); got != TierZeroTrustReady {
		t.Errorf("zero tiers should fall back to 90/70/40, got %s", got)
	}
}

// TestAssess_Tier8995 builds an overall of exactly 89.95 through weights
// (monitored 100 x 1799, inventoried 0 x 201): shown as 90.0, Zero Trust Ready.
func TestAssess_Tier8995(t *testing.T) {
	st := map[string]Status{"INV-01": Fail, "INV-02": Fail, "INV-03": Fail, "INV-04": Fail}
	pol := policy.Default()
	pol.Weights = map[string]float64{"monitored": 1799, "inventoried": 201, "controlled": 0, "claimed": 0, "minimized": 0, "assessed": 0, "current": 0}
	a := monAssess(t, monUsableDoc(), pol, Options{}, monStatusEvals(st))
	if got := monScore(a.OverallScore); got != "90" || a.Tier != TierZeroTrustReady {
		t.Errorf("overall = %s %s, want 90 Zero Trust Ready", got, a.Tier)
	}
	pol.Tiers = policy.Tiers{ZeroTrustReady: 70, Defensible: 80, Developing: 40}
	if _, err := assess(monUsableDoc(), pol, Options{}, monStatusEvals(st)); err == nil || !strings.Contains(err.Error(), "tiers") {
		t.Errorf("unordered tiers error = %v", err)
	}
}

func TestMethodology(t *testing.T) {
	for m, want := range map[string]bool{"": true, "cisa-ztmm": true, "cmmi": true, "CMMI": true, " cisa-ztmm ": true, "ztmm": false, "nist": false} {
		if got := ValidMethodology(m); got != want {
			t.Errorf("ValidMethodology(%q) = %v, want %v", m, got, want)
		}
	}
	cases := []struct {
		m     string
		score float64
		want  string
	}{
		{"cisa-ztmm", 39.9, "Traditional"}, {"cisa-ztmm", 40, "Initial"}, {"cisa-ztmm", 69.9, "Initial"},
		{"cisa-ztmm", 70, "Advanced"}, {"cisa-ztmm", 89.9, "Advanced"}, {"cisa-ztmm", 90, "Optimal"},
		{"cmmi", 0, "Level 1 (Initial)"}, {"cmmi", 19.9, "Level 1 (Initial)"}, {"cmmi", 20, "Level 2 (Managed)"},
		{"cmmi", 40, "Level 3 (Defined)"}, {"cmmi", 70, "Level 4 (Quantitatively Managed)"}, {"cmmi", 90, "Level 5 (Optimizing)"},
	}
	for _, c := range cases {
		if got := maturityLevel(c.m, &c.score); got == nil || got.Level != c.want || got.Methodology != c.m {
			t.Errorf("maturity(%s, %v) = %+v, want %s", c.m, c.score, got, c.want)
		}
	}
	if got := maturityLevel("cmmi", nil); got.Level != TierUnassessed {
		t.Errorf("maturity(nil) = %+v", got)
	}
	if maturityLevel("", scorePtr(50)) != nil {
		t.Errorf("no methodology must give no maturity")
	}
	a := monAssess(t, monUsableDoc(), nil, Options{Methodology: "cisa-ztmm"}, monStatusEvals(monMixed))
	if a.Maturity == nil || a.Maturity.Level != "Initial" || monScore(a.OverallScore) != "69.4" {
		t.Errorf("assessment maturity = %+v, overall %s; want Initial, 69.4 (flat score unchanged)", a.Maturity, monScore(a.OverallScore))
	}
	if _, err := assess(monUsableDoc(), nil, Options{Methodology: "nist"}, monStatusEvals(nil)); err == nil ||
		!strings.Contains(err.Error(), `unknown methodology "nist"`) {
		t.Errorf("unknown methodology error = %v", err)
	}
}

func TestAssess_PanicAndInvalidStatusBecomeError(t *testing.T) {
	evals := monStatusEvals(nil)
	evals["MON-02"] = func(env *Env) Outcome {
		var rows []string
		return outcome(Pass, nil, "%s", rows[3]) // index out of range
	}
	evals["INV-02"] = func(*Env) Outcome { return Outcome{Status: "GREAT"} }
	delete(evals, "CUR-04")
	a := monAssess(t, monUsableDoc(), nil, Options{}, evals)
	got := map[string]CheckResult{}
	for _, p := range a.Properties {
		for _, c := range p.Checks {
			got[c.CheckID] = c
		}
	}
	if c := got["MON-02"]; c.Status != Error || !strings.Contains(c.Detail, "index out of range [3] with length 0") || c.Evidence["panic"] == nil {
		t.Errorf("panicking check = %s %q %v", c.Status, c.Detail, c.Evidence)
	}
	if c := got["INV-02"]; c.Status != Error || !strings.Contains(c.Detail, `invalid status "GREAT"`) {
		t.Errorf("invalid status = %s %q", c.Status, c.Detail)
	}
	if c := got["CUR-04"]; c.Status != Error || !strings.Contains(c.Detail, "No evaluator") {
		t.Errorf("missing evaluator = %s %q", c.Status, c.Detail)
	}
	if got["MON-01"].Status != Pass || a.Counts[Pass] != 23 || a.Counts[Error] != 3 {
		t.Errorf("other checks disturbed: counts %v", a.Counts)
	}
}

func TestAssess_NoUsableFacts_B06(t *testing.T) {
	allPass := monStatusEvals(nil)
	cases := []struct {
		name   string
		doc    *facts.Document
		reason string
	}{
		{"nil document", nil, "no facts document was supplied"},
		{"every query failed", &facts.Document{Host: "h", Queries: map[string]facts.QueryState{
			"os_version":   {State: facts.StateUnknown, Reason: "cannot read /etc/miccmac/policy.yaml: permission denied"},
			"system_info":  {State: facts.StateUnknown, Reason: "cannot read /etc/miccmac/policy.yaml: permission denied"},
			"deb_packages": {State: facts.StateUnknown, Reason: "not run"},
		}}, "none of the 3 catalogue queries returned rows; e.g. deb_packages: not run; os_version: cannot read"},
		{"every query empty", &facts.Document{Host: "h",
			OS:      facts.OS{Origin: monKnown("os_version")},
			Queries: map[string]facts.QueryState{"os_version": {State: facts.StateOK}}}, "none of the 1 catalogue queries returned rows"},
		{"empty document", &facts.Document{Host: "h"}, "the facts document has no collected section"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := monAssess(t, c.doc, nil, Options{}, allPass)
			if a.Counts[Pass] != 0 || a.Counts[Unknown] != 26 || a.OverallScore != nil || a.Tier != TierUnassessed || a.Coverage != 0 {
				t.Fatalf("counts %v overall %s tier %s coverage %v; want 26 UNKNOWN, no score", a.Counts, monScore(a.OverallScore), a.Tier, a.Coverage)
			}
			if d := a.Properties[0].Checks[0].Detail; !strings.Contains(d, c.reason) {
				t.Errorf("detail %q does not contain %q", d, c.reason)
			}
			if len(a.RiskRegister) != 0 {
				t.Errorf("risk register not empty: %v", a.RiskRegister)
			}
		})
	}
	// A hand-written facts document (no per-query record) with a known OS section is usable.
	hand := &facts.Document{Host: "h", OS: facts.OS{Origin: monKnown("os_version"), Kind: "linux"}}
	if a := monAssess(t, hand, nil, Options{}, allPass); a.Counts[Pass] != 26 {
		t.Errorf("hand-written facts: counts %v, want 26 PASS", a.Counts)
	}
	// Items in a list section count even when every query record says 0 rows.
	items := &facts.Document{Host: "h", Queries: map[string]facts.QueryState{"processes": {State: facts.StateOK}},
		Processes: facts.Section[facts.Process]{Origin: monKnown("processes"), Items: []facts.Process{{Name: "init"}}}}
	if a := monAssess(t, items, nil, Options{}, allPass); a.Counts[Pass] != 26 {
		t.Errorf("document with process items: counts %v, want 26 PASS", a.Counts)
	}
}

func TestAssess_OnlyAndNow(t *testing.T) {
	var seen time.Time
	evals := monStatusEvals(map[string]Status{"CUR-04": Fail})
	evals["MON-01"] = func(env *Env) Outcome { seen = env.Now; return outcome(Pass, nil, "ok") }
	doc := monUsableDoc()
	doc.CollectedAt = 1764500000
	a, err := assess(doc, nil, Options{Only: []string{"CUR-04", "MON-01", "NOPE-01"}}, evals)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Properties) != 2 || a.Properties[0].Key != "monitored" || a.Properties[1].Key != "current" ||
		len(a.Properties[0].Checks) != 1 || len(a.Properties[1].Checks) != 1 {
		t.Fatalf("properties = %+v", a.Properties)
	}
	if monScore(a.OverallScore) != "50" || a.Coverage != 1 {
		t.Errorf("overall %s coverage %v, want 50, 1", monScore(a.OverallScore), a.Coverage)
	}
	if len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0], "NOPE-01") {
		t.Errorf("warnings = %v", a.Warnings)
	}
	if !seen.Equal(time.Unix(1764500000, 0)) || a.AssessedAt != 1764500000 {
		t.Errorf("Now = %v, assessed_at %d; want the collection time", seen, a.AssessedAt)
	}
	// An explicit Now wins over the collection time.
	a = monAssess(t, doc, nil, Options{Only: []string{"MON-01"}}, evals)
	if a.AssessedAt != monNow.Unix() || !seen.Equal(monNow) {
		t.Errorf("explicit Now ignored: %d", a.AssessedAt)
	}
}

func TestAssess_RemediationForOS(t *testing.T) {
	for kind, want := range map[string]string{"linux": "journald", "windows": "EventLog", "darwin": "logd"} {
		doc := monDoc(kind, monQuery("os_version", facts.StateOK, 1, ""))
		a := monAssess(t, doc, nil, Options{Only: []string{"MON-01"}}, monStatusEvals(map[string]Status{"MON-01": Fail}))
		if r := a.Properties[0].Checks[0].Remediation; !strings.Contains(r, want) {
			t.Errorf("%s remediation %q lacks %q", kind, r, want)
		}
	}
}

// TestAssess_RegisteredChecksNeverPanic runs the real evaluators over a
// nearly empty document of each OS: every verdict is valid and none panics.
func TestAssess_RegisteredChecksNeverPanic(t *testing.T) {
	for _, kind := range []string{"linux", "darwin", "windows", "unknown"} {
		doc := monDoc(kind, monQuery("os_version", facts.StateOK, 1, ""))
		a, err := Assess(doc, nil, Options{Now: monNow})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range a.Properties {
			for _, c := range p.Checks {
				if c.Status == Error && strings.Contains(c.Detail, "internally") {
					t.Errorf("%s on %s panicked: %s", c.CheckID, kind, c.Detail)
				}
				if c.Status == Pass && strings.HasPrefix(c.CheckID, "MON") {
					t.Errorf("%s on %s passes with no facts: %s", c.CheckID, kind, c.Detail)
				}
			}
		}
	}
}
