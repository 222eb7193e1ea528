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
