package engine

import (
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// TestTierNeedsCoverage: one PASS among 26 mostly unknown checks scores 100
// but must not make the device "Zero Trust Ready".
func TestTierNeedsCoverage(t *testing.T) {
	doc := &facts.Document{SchemaVersion: facts.SchemaVersion, Host: "h", ExternalVerdicts: map[string]facts.ExternalVerdict{
		"MON-01": {Status: facts.VerdictPass, Source: "Fleet policy 1"},
	}}
	for _, tt := range []struct {
		minCoverage float64
		tier        string
	}{{0.5, TierUnassessed}, {0, TierZeroTrustReady}} {
		pol := policy.Default()
		pol.Tiers.MinCoverage = tt.minCoverage
		a, err := Assess(doc, pol, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if a.OverallScore == nil || *a.OverallScore != 100 || a.Tier != tt.tier {
			t.Errorf("min_coverage %v: score %v tier %s, want 100 %s", tt.minCoverage, a.OverallScore, a.Tier, tt.tier)
		}
		if tt.tier == TierUnassessed && !strings.Contains(strings.Join(a.Warnings, "\n"), "tier Zero Trust Ready withheld: coverage 4% is below the policy minimum of 50%") {
			t.Errorf("no warning explains the withheld tier: %v", a.Warnings)
		}
	}
}

// TestCriticalFailCapsTier: a device scoring 90+ with a FAILing CRITICAL-risk
// check is Defensible, not Zero Trust Ready.
func TestCriticalFailCapsTier(t *testing.T) {
	verdicts := map[string]facts.ExternalVerdict{}
	for _, c := range Catalog() {
		verdicts[c.ID] = facts.ExternalVerdict{Status: facts.VerdictPass, Source: "test"}
	}
	verdicts["CUR-02"] = facts.ExternalVerdict{Status: facts.VerdictFail, Source: "test"} // HIGH x HIGH = CRITICAL
	doc := &facts.Document{SchemaVersion: facts.SchemaVersion, Host: "h", ExternalVerdicts: verdicts}
	for _, caps := range []bool{true, false} {
		pol := policy.Default()
		pol.Tiers.CriticalFailCaps = caps
		a, err := Assess(doc, pol, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := TierZeroTrustReady
		if caps {
			want = TierDefensible
		}
		if *a.OverallScore < 90 || a.Tier != want {
			t.Errorf("caps=%v: score %v tier %s, want %s", caps, *a.OverallScore, a.Tier, want)
		}
		if caps && !strings.Contains(strings.Join(a.Warnings, "\n"), "tier capped at Defensible: CRITICAL-risk check(s) CUR-02 FAIL") {
			t.Errorf("no warning explains the cap: %v", a.Warnings)
		}
	}
}

// TestMaturityFollowsTierGates: a withheld tier has no maturity level, and a
// capped tier does not get the top level.
func TestMaturityFollowsTierGates(t *testing.T) {
	few := &facts.Document{SchemaVersion: facts.SchemaVersion, Host: "h", ExternalVerdicts: map[string]facts.ExternalVerdict{
		"MON-01": {Status: facts.VerdictPass, Source: "t"}, "INV-02": {Status: facts.VerdictPass, Source: "t"}}}
	a, err := Assess(few, policy.Default(), Options{Methodology: MethodologyCISAZTMM})
	if err != nil {
		t.Fatal(err)
	}
	if a.Tier != TierUnassessed || a.Maturity.Level != TierUnassessed {
		t.Errorf("low coverage: tier %s maturity %s, want both Unassessed", a.Tier, a.Maturity.Level)
	}
	all := map[string]facts.ExternalVerdict{}
	for _, c := range Catalog() {
		all[c.ID] = facts.ExternalVerdict{Status: facts.VerdictPass, Source: "t"}
	}
	all["CUR-02"] = facts.ExternalVerdict{Status: facts.VerdictFail, Source: "t"}
	capped := &facts.Document{SchemaVersion: facts.SchemaVersion, Host: "h", ExternalVerdicts: all}
	for _, tt := range []struct{ m, want string }{{MethodologyCISAZTMM, "Advanced"}, {MethodologyCMMI, "Level 4 (Quantitatively Managed)"}} {
		a, err := Assess(capped, policy.Default(), Options{Methodology: tt.m})
		if err != nil {
			t.Fatal(err)
		}
		if a.Tier != TierDefensible || a.Maturity.Level != tt.want || *a.OverallScore < 90 {
			t.Errorf("%s: score %v tier %s maturity %s, want Defensible and %s", tt.m, *a.OverallScore, a.Tier, a.Maturity.Level, tt.want)
		}
	}
	// A property the policy does not weigh cannot cap the tier.
	pol := policy.Default()
	pol.Weights["current"] = 0
	a, err = Assess(capped, pol, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Tier != TierZeroTrustReady {
		t.Errorf("CUR-02 in an unweighted property capped the tier: %s %v", a.Tier, a.Warnings)
	}
}
