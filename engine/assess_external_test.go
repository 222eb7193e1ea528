package engine

import (
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// b24Docs are the facts documents the translator builds from B24.json (a
// Fleet export with policy responses only; see translator
// TestFleetPolicies_B24 for the reading side).
func b24Docs() map[string]*facts.Document {
	doc := func(host string, v map[string]facts.ExternalVerdict) *facts.Document {
		return &facts.Document{SchemaVersion: facts.SchemaVersion, Host: host, OS: facts.OS{Kind: "unknown"},
			Queries:          map[string]facts.QueryState{"os_version": {State: facts.StateUnknown, Reason: "not in the input"}},
			ExternalVerdicts: v}
	}
	return map[string]*facts.Document{
		"mac-01": doc("mac-01", map[string]facts.ExternalVerdict{
			"MON-01": {Status: facts.VerdictPass, Source: "Fleet policy 11 'miccmac MON-01 logging agent running'"},
			"CON-02": {Status: facts.VerdictError, Source: "Fleet policy 12 'miccmac CON-02 password length >= 10'",
				Detail: "query failed: no such table: password_policy (table password_policy is not in the host's osquery 5.3.0)"},
			"CUR-01": {Status: facts.VerdictFail, Source: "Fleet policy 13 'miccmac CUR-01 OS current'"},
		}),
		"lin-01": doc("lin-01", map[string]facts.ExternalVerdict{
			"CUR-03": {Status: facts.VerdictNotApplicable, Source: "Fleet policy 14 'miccmac CUR-03 Windows updates installed'",
				Detail: "policy platform windows, host ubuntu (linux)"},
			"MIN-01": {Status: facts.VerdictError, Source: "Fleet policy 15 'miccmac MIN-01 no telnet server'",
				Detail: "query failed: no such table: miccmac_checks (extension table missing on host: the miccmac extension is not loaded there)"},
		}),
		"win-01": doc("win-01", map[string]facts.ExternalVerdict{
			"CUR-03": {Status: facts.VerdictPass, Source: "Fleet policy 14 'miccmac CUR-03 Windows updates installed'",
				SeenTime: "2026-02-10T08:00:00Z", Stale: true,
				StaleReason: "host offline, last seen 20 days before report_time (seen 2026-02-10T08:00:00Z, report 2026-03-02T10:00:00Z)"},
		}),
	}
}

func checkOf(t *testing.T, a *Assessment, id string) CheckResult {
	t.Helper()
	for _, p := range a.Properties {
		for _, c := range p.Checks {
			if c.CheckID == id {
				return c
			}
		}
	}
	t.Fatalf("%s: no check %s", a.Host, id)
	return CheckResult{}
}

// TestExternalVerdicts_B24 grades B24's verdicts: only real answers score;
// ERROR, NOT_APPLICABLE and UNKNOWN carry their reason and stay out of the
// score and the coverage denominator; the stale PASS says so and warns.
func TestExternalVerdicts_B24(t *testing.T) {
	docs := b24Docs()
	tests := []struct {
		host, check string
		status      Status
		detail      string // substring
		score       *float64
	}{
		{"mac-01", "MON-01", Pass, "Fleet policy 11 'miccmac MON-01 logging agent running' passed: the host's miccmac extension graded MON-01 as PASS.", scorePtr(100)},
		{"mac-01", "CUR-01", Fail, "Fleet policy failed: the host's miccmac extension did not grade CUR-01 as PASS", scorePtr(0)},
		{"mac-01", "MON-02", Unknown, "Not in the input: no Fleet policy answered MON-02", nil},
		{"lin-01", "CUR-03", NotApplicable, "does not apply to this host: policy platform windows, host ubuntu (linux).", nil},
		{"lin-01", "MIN-01", Error, "got no answer from the host, query failed: no such table: miccmac_checks (extension table missing on host", nil},
		{"win-01", "CUR-03", Pass, "Stale answer: host offline, last seen 20 days before report_time", scorePtr(100)},
	}
	as := map[string]*Assessment{}
	for host, d := range docs {
		as[host] = monAssess(t, d, policy.Default(), Options{}, evaluators)
	}
	for _, tt := range tests {
		c := checkOf(t, as[tt.host], tt.check)
		if c.Status != tt.status || !strings.Contains(c.Detail, tt.detail) {
			t.Errorf("%s/%s: %s %q, want %s containing %q", tt.host, tt.check, c.Status, c.Detail, tt.status, tt.detail)
		}
		if monScore(c.Score) != monScore(tt.score) {
			t.Errorf("%s/%s: score %s, want %s", tt.host, tt.check, monScore(c.Score), monScore(tt.score))
		}
	}
	if ev := checkOf(t, as["win-01"], "CUR-03").Evidence; ev["stale"] != true || ev["seen_time"] != "2026-02-10T08:00:00Z" {
		t.Errorf("win-01 CUR-03 evidence %v", ev)
	}
	// Scores and denominators: mac-01 scores PASS (monitored 100) and FAIL
	// (current 0); lin-01 has nothing scored; win-01 one PASS.
	wants := map[string]struct {
		counts   map[Status]int
		overall  string
		coverage float64
		warning  string
	}{
		"mac-01": {map[Status]int{Pass: 1, Fail: 1, Unknown: 24}, "50", 0.0769, // 2 scored of 26 applicable
			"Fleet policy 12 'miccmac CON-02 password length >= 10' names no miccmac check (CON-02 is not in the catalogue); its answer (ERROR: query failed: no such table: password_policy"},
		"lin-01": {map[Status]int{Error: 1, NotApplicable: 1, Unknown: 24}, "nil", 0, ""}, // 0 scored of 25
		"win-01": {map[Status]int{Pass: 1, Unknown: 25}, "100", 0.0385,
			"stale external answers for CUR-03: host offline, last seen 20 days before report_time"},
	}
	for host, w := range wants {
		a := as[host]
		for _, s := range []Status{Pass, Partial, Fail, NotApplicable, Unknown, Error} {
			if a.Counts[s] != w.counts[s] {
				t.Errorf("%s: %d %s, want %d", host, a.Counts[s], s, w.counts[s])
			}
		}
		if got := monScore(a.OverallScore); got != w.overall {
			t.Errorf("%s: overall %s, want %s", host, got, w.overall)
		}
		if a.Coverage != w.coverage {
			t.Errorf("%s: coverage %v, want %v", host, a.Coverage, w.coverage)
		}
		all := strings.Join(a.Warnings, "\n")
		if (w.warning == "") != (len(a.Warnings) == 0) || !strings.Contains(all, w.warning) {
			t.Errorf("%s: warnings %q, want %q", host, a.Warnings, w.warning)
		}
	}
}

// TestExternalVerdicts_Denominator: with device facts present, external
// verdicts replace the evaluators; an ERROR and a NOT_APPLICABLE verdict
// leave the property scores and the coverage denominator.
func TestExternalVerdicts_Denominator(t *testing.T) {
	d := monUsableDoc()
	d.ExternalVerdicts = map[string]facts.ExternalVerdict{
		"MIN-01": {Status: facts.VerdictError, Source: "Fleet policy 1 'x'", Detail: "query failed: boom"},
		"CUR-03": {Status: facts.VerdictNotApplicable, Source: "Fleet policy 2 'y'", Detail: "policy platform windows, host linux"},
		"CUR-01": {Status: facts.VerdictFail, Source: "Fleet policy 3 'z'"},
		"CTL-01": {Status: facts.VerdictPass, Source: "Fleet policy 4 'w'"},
	}
	// The evaluators say PASS everywhere except CTL-01, which the verdict overrides.
	a := monAssess(t, d, policy.Default(), Options{}, monStatusEvals(map[string]Status{"CTL-01": Fail}))
	props := map[string]string{}
	for _, p := range a.Properties {
		props[p.Key] = monScore(p.Score)
	}
	// minimized: MIN-02..04 PASS, MIN-01 ERROR not scored -> 100 (75 if ERROR counted as 0).
	// current: CUR-01 FAIL, CUR-02 and CUR-04 PASS, CUR-03 N/A -> 66.7.
	if props["minimized"] != "100" || props["current"] != "66.7" || props["controlled"] != "100" {
		t.Errorf("property scores %v", props)
	}
	// 25 applicable (CUR-03 N/A), 24 scored (MIN-01 ERROR).
	if a.Coverage != 0.96 {
		t.Errorf("coverage %v, want 0.96", a.Coverage)
	}
	if c := checkOf(t, a, "MIN-01"); c.Status != Error || c.Detail != "Fleet policy 1 'x' got no answer from the host, query failed: boom; not graded." {
		t.Errorf("MIN-01 %s %q", c.Status, c.Detail)
	}
}

// TestExternalVerdicts_PolicyAndOnly: a policy exclusion wins over a verdict,
// an unrecognised status is an ERROR, and Only limits the stale warning.
func TestExternalVerdicts_PolicyAndOnly(t *testing.T) {
	d := monUsableDoc()
	d.ExternalVerdicts = map[string]facts.ExternalVerdict{
		"MON-01": {Status: facts.VerdictFail, Source: "Fleet policy 1 'a'", Stale: true, StaleReason: "old"},
		"MON-02": {Status: "maybe", Source: "Fleet policy 2 'b'"},
	}
	pol := policy.Default()
	pol.Exclude = map[string]string{"MON-01": "kiosk"}
	a := monAssess(t, d, pol, Options{}, monStatusEvals(nil))
	if c := checkOf(t, a, "MON-01"); c.Status != NotApplicable {
		t.Errorf("excluded MON-01 graded %s", c.Status)
	}
	if c := checkOf(t, a, "MON-02"); c.Status != Error || !strings.Contains(c.Detail, `unrecognised status "maybe"`) {
		t.Errorf("MON-02 %s %q", c.Status, c.Detail)
	}
	if len(a.Warnings) != 0 {
		t.Errorf("warnings %q: an excluded stale verdict is not graded", a.Warnings)
	}
	pol.Exclude = nil
	a = monAssess(t, d, pol, Options{Only: []string{"MON-02"}}, monStatusEvals(nil))
	if len(a.Warnings) != 0 {
		t.Errorf("warnings %q: MON-01 was not selected", a.Warnings)
	}
	a = monAssess(t, d, pol, Options{}, monStatusEvals(nil))
	if len(a.Warnings) != 1 || a.Warnings[0] != "stale external answers for MON-01: old; graded from them all the same" {
		t.Errorf("warnings %q", a.Warnings)
	}
}
