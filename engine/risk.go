package engine

import (
	"math"
	"sort"
)

// Risk ratings, from lowest to highest.
const (
	RiskLow      = "LOW"
	RiskModerate = "MODERATE"
	RiskHigh     = "HIGH"
	RiskCritical = "CRITICAL"
)

var fairLevel = map[string]int{"LOW": 0, "MEDIUM": 1, "HIGH": 2}

// RiskRating rates a finding from its FAIR-style frequency and magnitude
// (LOW, MEDIUM, HIGH) with the 3x3 matrix of CHECKS.md: LOWxLOW, LOWxMEDIUM,
// MEDIUMxLOW -> LOW; LOWxHIGH, MEDIUMxMEDIUM, HIGHxLOW -> MODERATE;
// MEDIUMxHIGH, HIGHxMEDIUM -> HIGH; HIGHxHIGH -> CRITICAL. It returns "" for
// any other input.
func RiskRating(frequency, magnitude string) string {
	f, ok1 := fairLevel[frequency]
	m, ok2 := fairLevel[magnitude]
	if !ok1 || !ok2 {
		return ""
	}
	switch f + m {
	case 0, 1:
		return RiskLow
	case 2:
		return RiskModerate
	case 3:
		return RiskHigh
	}
	return RiskCritical
}

// riskRank orders ratings for the register: CRITICAL first.
func riskRank(r string) int {
	switch r {
	case RiskCritical:
		return 0
	case RiskHigh:
		return 1
	case RiskModerate:
		return 2
	case RiskLow:
		return 3
	}
	return 4
}

// igRank orders CIS implementation groups: IG1 (essential hygiene) first.
func igRank(ig string) int {
	switch ig {
	case "IG1":
		return 0
	case "IG2":
		return 1
	case "IG3":
		return 2
	}
	return 3
}

// riskRegister lists every FAIL and PARTIAL, sorted by rating, then CIS IG,
// then id, each with the overall points it would gain if it were PASS.
func riskRegister(props []PropertyResult, model *scoreModel) []RiskEntry {
	var out []RiskEntry
	base, hasBase := model.overall()
	for _, p := range props {
		for _, c := range p.Checks {
			if c.Status != Fail && c.Status != Partial {
				continue
			}
			gain := 0.0
			if fixed, ok := model.withPass(c.CheckID).overall(); ok && hasBase {
				gain = round1(math.Max(0, fixed-base))
			}
			out = append(out, RiskEntry{
				CheckID: c.CheckID, Title: c.Title, Status: c.Status, Risk: c.Risk,
				CISIG: c.CISIG, Remediation: c.Remediation, Gain: gain,
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := riskRank(a.Risk), riskRank(b.Risk); ra != rb {
			return ra < rb
		}
		if ia, ib := igRank(a.CISIG), igRank(b.CISIG); ia != ib {
			return ia < ib
		}
		return a.CheckID < b.CheckID
	})
	return out
}
