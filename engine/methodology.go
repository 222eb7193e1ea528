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
	s := *score
	switch m {
	case MethodologyCISAZTMM:
		switch {
		case s >= 90:
			out.Level = "Optimal"
		case s >= 70:
			out.Level = "Advanced"
		case s >= 40:
			out.Level = "Initial"
		default:
			out.Level = "Traditional"
		}
	case MethodologyCMMI:
		switch {
		case s >= 90:
			out.Level = "Level 5 (Optimizing)"
		case s >= 70:
			out.Level = "Level 4 (Quantitatively Managed)"
		case s >= 40:
			out.Level = "Level 3 (Defined)"
		case s >= 20:
			out.Level = "Level 2 (Managed)"
		default:
			out.Level = "Level 1 (Initial)"
		}
	}
	return out
}
