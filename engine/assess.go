package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// Options tune one assessment.
type Options struct {
	// Now is the assessment time. Zero means the facts' collection time when
	// known (so a saved capture grades the same later), else the current time.
	Now time.Time
	// Methodology adds a maturity level: "" (none), "cisa-ztmm" or "cmmi".
	Methodology string
	// Only restricts the assessment to these check ids (the extension's
	// check_id constraint); empty means every check. Ids that name no check
	// are ignored with a warning, so "WHERE check_id = 'X'" yields no row.
	Only []string
}

// Assess grades one device: it runs every check (a panicking check becomes
// ERROR), applies the policy's exclusions, and computes property and overall
// scores, coverage, tier, maturity and the risk register. A nil policy means
// policy.Default(). The error reports an unusable option or policy value
// (unknown methodology, negative weight, unordered tiers); facts problems are
// never errors but UNKNOWN or ERROR verdicts.
func Assess(doc *facts.Document, pol *policy.Policy, opts Options) (*Assessment, error) {
	return assess(doc, pol, opts, evaluators)
}

// assess is Assess with the evaluators passed in, so tests can use their own.
func assess(doc *facts.Document, pol *policy.Policy, opts Options, evals map[string]CheckFunc) (*Assessment, error) {
	if !ValidMethodology(opts.Methodology) {
		return nil, fmt.Errorf("unknown methodology %q: want %s or %s", opts.Methodology, MethodologyCISAZTMM, MethodologyCMMI)
	}
	if pol == nil {
		pol = policy.Default()
	}
	if err := validateScoring(pol); err != nil {
		return nil, err
	}
	cat := catalogFor(pol)
	evals = evaluatorsFor(pol, evals)
	now := opts.Now
	if now.IsZero() {
		if doc != nil && doc.CollectedAt > 0 {
			now = time.Unix(doc.CollectedAt, 0).UTC()
		} else {
			now = time.Now().UTC()
		}
	}
	a := &Assessment{
		ModelVersion: ModelVersion,
		PolicyHash:   pol.Hash(),
		AssessedAt:   now.Unix(),
		Counts:       map[Status]int{},
	}
	for _, s := range []Status{Pass, Partial, Fail, NotApplicable, Unknown, Error} {
		a.Counts[s] = 0
	}
	kind := ""
	if doc != nil {
		a.Host = doc.Host
		kind = doc.OS.Kind
	}
	selected, warnings := selectChecks(cat, opts.Only)
	a.Warnings = append(a.Warnings, warnings...)
	a.Warnings = append(a.Warnings, unknownExclusions(cat, pol)...)
	a.Warnings = append(a.Warnings, externalWarnings(doc, cat, selected, pol)...)

	usable, noFacts := usableFacts(doc)
	env := &Env{Facts: doc, Policy: pol, Now: now, names: &lazyNames{}}
	model := &scoreModel{}
	scored, applicable := 0, 0
	for _, pi := range cat.properties {
		pr := PropertyResult{Key: pi.Key, Letter: pi.Letter, Title: pi.Title, Checks: []CheckResult{}}
		mp := modelProp{key: pi.Key, weight: weightOf(pol, pi.Key)}
		propScored, propApplicable := 0, 0
		for _, ci := range cat.checks {
			if ci.Property != pi.Key || !selected[ci.ID] {
				continue
			}
			var o Outcome
			switch reason, excluded := pol.Exclude[ci.ID]; {
			case excluded:
				o = outcome(NotApplicable, map[string]any{"excluded_by_policy": reason}, "Excluded: %s", reason)
			case hasExternal(doc, ci.ID):
				v, _ := externalVerdict(doc, ci.ID)
				o = externalOutcome(ci.ID, v) // assess_external.go
			case !usable:
				o = noFactsOutcome(doc, ci.ID, noFacts)
			default:
				o = escalateBroken(runCheck(evals[ci.ID], ci.ID, env), doc)
			}
			cr := checkResult(ci, o, cat.remediationFor(ci.ID, kind))
			a.Counts[cr.Status]++
			if cr.Status != NotApplicable {
				propApplicable++
			}
			if cr.Score != nil {
				propScored++
				mp.checks = append(mp.checks, modelCheck{id: ci.ID, points: *cr.Score})
			}
			pr.Checks = append(pr.Checks, cr)
		}
		if len(pr.Checks) == 0 {
			continue // not selected by Options.Only
		}
		model.props = append(model.props, mp)
		if s, ok := model.property(len(model.props) - 1); ok {
			pr.Score = scorePtr(round1(s))
		}
		pr.Coverage = coverageRatio(propScored, propApplicable)
		scored += propScored
		applicable += propApplicable
		a.Properties = append(a.Properties, pr)
	}
	if s, ok := model.overall(); ok {
		a.OverallScore = scorePtr(round1(s))
	}
	a.Coverage = coverageRatio(scored, applicable)
	a.Tier = tierFor(a.OverallScore, pol.Tiers)
	if a.Tier != TierNotReady && a.Tier != TierUnassessed && a.Coverage < pol.Tiers.MinCoverage {
		// Too few checks were graded for the score to speak for the device: a
		// handful of PASSes must not make it "Zero Trust Ready".
		a.Warnings = append(a.Warnings, fmt.Sprintf("tier %s withheld: coverage %.0f%% is below the policy minimum of %.0f%%",
			a.Tier, a.Coverage*100, pol.Tiers.MinCoverage*100))
		a.Tier = TierUnassessed
	}
	maturityScore := a.OverallScore
	if a.Tier == TierZeroTrustReady && pol.Tiers.CriticalFailCaps {
		// A device whose CRITICAL-risk control fails is not Zero Trust Ready,
		// however well it does elsewhere: the mean would hide the one gap that
		// matters most.
		if ids := criticalFailures(a.Properties, pol); len(ids) > 0 {
			a.Warnings = append(a.Warnings, fmt.Sprintf("tier capped at %s: CRITICAL-risk check(s) %s FAIL", TierDefensible, strings.Join(ids, ", ")))
			a.Tier = TierDefensible
			capped := min(*a.OverallScore, effectiveTiers(pol.Tiers).ZeroTrustReady-0.1)
			maturityScore = &capped
		}
	}
	// The maturity level follows the tier's gates: no level without enough
	// coverage, and no top level when the tier was capped.
	if a.Tier == TierUnassessed {
		maturityScore = nil
	}
	a.Maturity = maturityLevel(opts.Methodology, maturityScore)
	a.RiskRegister = riskRegister(a.Properties, model)
	return a, nil
}

// criticalFailures lists the CRITICAL-risk checks that FAIL, in properties
// the policy weighs (a property weighted 0 does not count toward the tier).
func criticalFailures(props []PropertyResult, pol *policy.Policy) []string {
	var ids []string
	for _, p := range props {
		if weightOf(pol, p.Key) == 0 {
			continue
		}
		for _, c := range p.Checks {
			if c.Status == Fail && c.Risk == RiskCritical {
				ids = append(ids, c.CheckID)
			}
		}
	}
	return ids
}

// checkResult fills a CheckResult from the catalogue entry and the outcome.
func checkResult(ci CheckInfo, o Outcome, remediation string) CheckResult {
	cr := CheckResult{
		CheckID: ci.ID, Property: ci.Property, Letter: ci.Letter, Title: ci.Title,
		Status: o.Status, Detail: o.Detail, Evidence: o.Evidence,
		Remediation: remediation, Controls: ci.Controls, Risk: ci.Risk, CISIG: ci.CISIG,
	}
	if cr.Evidence == nil {
		cr.Evidence = map[string]any{}
	}
	if p, ok := o.Status.Points(); ok {
		cr.Score = scorePtr(p)
	}
	return cr
}

// runCheck runs one evaluator; a panic or an invalid verdict becomes ERROR.
func runCheck(fn CheckFunc, id string, env *Env) (o Outcome) {
	if fn == nil {
		return outcome(Error, nil, "No evaluator is registered for %s in this build.", id)
	}
	defer func() {
		if r := recover(); r != nil {
			o = outcome(Error, map[string]any{"panic": fmt.Sprint(r)}, "The check failed internally: %v", r)
		}
	}()
	o = fn(env)
	switch o.Status {
	case Pass, Partial, Fail, NotApplicable, Unknown, Error:
	default:
		return outcome(Error, map[string]any{"status": string(o.Status)},
			"The check returned an invalid status %q.", o.Status)
	}
	return o
}

// selectChecks returns the set of check ids to run and warnings for ids in
// only that name no check.
func selectChecks(cat *catalogData, only []string) (map[string]bool, []string) {
	sel := map[string]bool{}
	if len(only) == 0 {
		for _, c := range cat.checks {
			sel[c.ID] = true
		}
		return sel, nil
	}
	var warnings []string
	for _, id := range only {
		if _, ok := cat.index[id]; ok {
			sel[id] = true
		} else {
			warnings = append(warnings, fmt.Sprintf("requested check %q does not exist", id))
		}
	}
	return sel, warnings
}

// unknownExclusions warns about policy exclusions that name no check.
func unknownExclusions(cat *catalogData, pol *policy.Policy) []string {
	var out []string
	for id := range pol.Exclude {
		if _, ok := cat.index[id]; !ok {
			out = append(out, fmt.Sprintf("policy excludes %q, which is not a check", id))
		}
	}
	sort.Strings(out)
	return out
}

// usableFacts reports whether the document holds any collected device fact
// (B06: a collection that failed everywhere must never grade as PASS). When it
// does not, the string says why.
func usableFacts(doc *facts.Document) (bool, string) {
	if doc == nil {
		return false, "no facts document was supplied"
	}
	for _, q := range doc.Queries {
		if q.State == facts.StateOK && q.Rows > 0 {
			return true, ""
		}
	}
	// Items can only come from rows; a known single-value section counts only
	// when the document carries no per-query record (a hand-written facts file),
	// since with one, "ok with 0 rows everywhere" is the B06 empty result.
	if anySectionHasFacts(doc, len(doc.Queries) == 0) {
		return true, ""
	}
	if len(doc.Queries) == 0 {
		return false, "the facts document has no collected section"
	}
	names := make([]string, 0, len(doc.Queries))
	for n := range doc.Queries {
		names = append(names, n)
	}
	sort.Strings(names)
	var failed []string
	for _, n := range names {
		if q := doc.Queries[n]; q.State != facts.StateOK && q.Reason != "" {
			failed = append(failed, n+": "+q.Reason)
		}
	}
	why := fmt.Sprintf("none of the %d catalogue queries returned rows", len(names))
	if len(failed) > 0 {
		why += "; e.g. " + strings.Join(failed[:min(2, len(failed))], "; ")
	}
	return false, why
}
