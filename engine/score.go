package engine

import (
	"fmt"
	"math"

	"github.com/miccmac/miccmac-osq/engine/policy"
)

// Readiness tiers.
const (
	TierZeroTrustReady = "Zero Trust Ready"
	TierDefensible     = "Defensible"
	TierDeveloping     = "Developing"
	TierNotReady       = "Not Ready"
	TierUnassessed     = "Unassessed"
)

// scoreModel holds the points of every scored check per property, so the
// engine can compute property and overall scores and "what if this check
// passed" for the risk register. Scores are kept unrounded here.
type scoreModel struct {
	props []modelProp
}

type modelProp struct {
	key    string
	weight float64
	checks []modelCheck // scored checks only
}

type modelCheck struct {
	id     string
	points float64
}

// property returns the mean of the property's scored checks.
func (m *scoreModel) property(i int) (float64, bool) {
	p := m.props[i]
	if len(p.checks) == 0 {
		return 0, false
	}
	sum := 0.0
	for _, c := range p.checks {
		sum += c.points
	}
	return sum / float64(len(p.checks)), true
}

// overall returns the weighted mean of the scored properties; properties
// without a score, or with weight 0, are left out.
func (m *scoreModel) overall() (float64, bool) {
	sum, weights := 0.0, 0.0
	for i, p := range m.props {
		s, ok := m.property(i)
		if !ok || p.weight == 0 {
			continue
		}
		sum += p.weight * s
		weights += p.weight
	}
	if weights == 0 {
		return 0, false
	}
	return sum / weights, true
}

// withPass returns a copy of the model in which check id scores 100.
func (m *scoreModel) withPass(id string) *scoreModel {
	out := &scoreModel{props: make([]modelProp, len(m.props))}
	for i, p := range m.props {
		cp := p
		cp.checks = append([]modelCheck(nil), p.checks...)
		for j := range cp.checks {
			if cp.checks[j].id == id {
				cp.checks[j].points = 100
			}
		}
		out.props[i] = cp
	}
	return out
}

// weightOf returns the policy weight of a property: 1 when the policy has no
// weights or does not name the property (equal weights by default).
func weightOf(pol *policy.Policy, key string) float64 {
	if pol == nil || len(pol.Weights) == 0 {
		return 1
	}
	if w, ok := pol.Weights[key]; ok {
		return w
	}
	return 1
}

// validateScoring checks the policy values scoring depends on.
func validateScoring(pol *policy.Policy) error {
	for k, w := range pol.Weights {
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("policy weights.%s = %v: weights must be zero or positive numbers", k, w)
		}
	}
	t := effectiveTiers(pol.Tiers)
	if !(t.ZeroTrustReady > t.Defensible && t.Defensible > t.Developing && t.Developing >= 0 && t.ZeroTrustReady <= 100) {
		return fmt.Errorf("policy tiers %v/%v/%v: want 100 >= zero_trust_ready > defensible > developing >= 0",
			t.ZeroTrustReady, t.Defensible, t.Developing)
	}
	return nil
}

// effectiveTiers returns the policy's tier bounds, or the defaults (90/70/40)
// when the policy sets none.
func effectiveTiers(t policy.Tiers) policy.Tiers {
	if t == (policy.Tiers{}) {
		return policy.Tiers{ZeroTrustReady: 90, Defensible: 70, Developing: 40}
	}
	return t
}

// tierFor names the readiness tier of a (rounded) score; nil is Unassessed.
// The displayed, rounded score decides, so 89.95 (shown as 90.0) is Zero
// Trust Ready and a report never shows "90.0 Defensible".
func tierFor(score *float64, t policy.Tiers) string {
	if score == nil {
		return TierUnassessed
	}
	t = effectiveTiers(t)
	switch s := *score; {
	case s >= t.ZeroTrustReady:
		return TierZeroTrustReady
	case s >= t.Defensible:
		return TierDefensible
	case s >= t.Developing:
		return TierDeveloping
	}
	return TierNotReady
}

// round1 rounds to one decimal, halves away from zero. The tiny nudge keeps a
// mean that is mathematically x.x5 but computed as x.x4999... from rounding down.
func round1(x float64) float64 {
	return math.Round(x*10+math.Copysign(1e-9, x)) / 10
}

// ratio returns n/d rounded to four decimals, 0 when d is 0.
func coverageRatio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(d)*10000) / 10000
}

func scorePtr(f float64) *float64 { return &f }
