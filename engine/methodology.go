package engine

import "strings"

// Maturity methodologies.
const (
	MethodologyCISAZTMM = "cisa-ztmm"
	MethodologyCMMI     = "cmmi"
)

// ValidMethodology reports whether m names a maturity methodology the engine
// can bucket into: "cisa-ztmm" or "cmmi" (any case). The empty string is
// valid and means "no maturity bucketing".
func ValidMethodology(m string) bool {
	switch normMethodology(m) {
	case "", MethodologyCISAZTMM, MethodologyCMMI:
		return true
	}
	return false
}

func normMethodology(m string) string { return strings.ToLower(strings.TrimSpace(m)) }

// maturityLevel re-buckets a (rounded) score into the methodology's levels;
// it never changes the score. A nil score is "Unassessed".
//
// CISA Zero Trust Maturity Model: Traditional < 40 <= Initial < 70 <= Advanced
// < 90 <= Optimal. CMMI: level 1 from 0, 2 from 20, 3 from 40, 4 from 70, 5
// from 90.
func maturityLevel(m string, score *float64) *Maturity {
	m = normMethodology(m)
	if m == "" {
		return nil
	}
	out := &Maturity{Methodology: m, Level: TierUnassessed}
	if score == nil {
		return out
	}
	for _, l := range maturityLevels[m] {
		if *score >= l.from {
			out.Level = l.name
			break
		}
	}
	return out
}

// maturityLevels lists each methodology's levels, highest first, with the
// lowest score that reaches them.
var maturityLevels = map[string][]struct {
	from float64
	name string
}{
	MethodologyCISAZTMM: {{90, "Optimal"}, {70, "Advanced"}, {40, "Initial"}, {0, "Traditional"}},
	MethodologyCMMI: {{90, "Level 5 (Optimizing)"}, {70, "Level 4 (Quantitatively Managed)"}, {40, "Level 3 (Defined)"},
		{20, "Level 2 (Managed)"}, {0, "Level 1 (Initial)"}},
}
