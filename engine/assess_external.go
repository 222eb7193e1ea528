package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// External verdicts (facts.Document.ExternalVerdicts) are checks graded on
// the host by someone else: a Fleet policy "miccmac <CHECK-ID> <title>" passes
// when the host's miccmac extension grades the check PASS. Such a verdict
// replaces the check's evaluator. Only real answers grade (B24): a query that
// failed is ERROR, a policy for another platform NOT_APPLICABLE, no answer yet
// UNKNOWN, and none of them enters the score. A stale answer (host offline,
// last seen long before the report) keeps its verdict, says so, and adds an
// assessment warning.

// externalVerdict returns the document's external verdict for id, if any.
func externalVerdict(doc *facts.Document, id string) (facts.ExternalVerdict, bool) {
	if doc == nil {
		return facts.ExternalVerdict{}, false
	}
	v, ok := doc.ExternalVerdicts[id]
	return v, ok
}

// hasExternal reports whether the document carries an external verdict for id.
func hasExternal(doc *facts.Document, id string) bool {
	_, ok := externalVerdict(doc, id)
	return ok
}

// externalOutcome grades check id from an external verdict.
func externalOutcome(id string, v facts.ExternalVerdict) Outcome {
	ev := map[string]any{"source": v.Source, "external_status": v.Status}
	if v.Detail != "" {
		ev["external_detail"] = v.Detail
	}
	if v.SeenTime != "" {
		ev["seen_time"] = v.SeenTime
	}
	var o Outcome
	switch v.Status {
	case facts.VerdictPass:
		o = outcome(Pass, ev, "%s passed: the host's miccmac extension graded %s as PASS.", v.Source, id)
	case facts.VerdictFail:
		o = outcome(Fail, ev, "Fleet policy failed: the host's miccmac extension did not grade %s as PASS (%s; the extension's own status may be FAIL, PARTIAL or UNKNOWN: run it on the host for the reason).", id, v.Source)
	case facts.VerdictError:
		o = outcome(Error, ev, "%s got no answer from the host, %s; not graded.", v.Source, orNoDetail(v.Detail))
	case facts.VerdictNotApplicable:
		o = outcome(NotApplicable, ev, "%s does not apply to this host: %s.", v.Source, orNoDetail(v.Detail))
	case facts.VerdictUnknown:
		o = outcome(Unknown, ev, "%s: %s.", v.Source, orNoDetail(v.Detail))
	default:
		return outcome(Error, ev, "%s reported the unrecognised status %q.", v.Source, v.Status)
	}
	if v.Stale {
		ev["stale"] = true
		ev["stale_reason"] = v.StaleReason
		o.Detail += fmt.Sprintf(" Stale answer: %s.", v.StaleReason)
	}
	return o
}

func orNoDetail(s string) string {
	if s == "" {
		return "no detail given"
	}
	return s
}

// noFactsOutcome is the verdict of a check when the document has no device
// facts; with external verdicts present it names what the input lacked.
func noFactsOutcome(doc *facts.Document, id, why string) Outcome {
	if doc != nil && len(doc.ExternalVerdicts) > 0 {
		return outcome(Unknown, nil, "Not in the input: no Fleet policy answered %s, and no osquery results were given to grade it from.", id)
	}
	return outcome(Unknown, nil, "No device facts were collected (%s), so nothing can be graded.", why)
}

// externalWarnings reports external verdicts for ids that name no check
// (never graded, never invented), and stale verdicts that were graded.
func externalWarnings(doc *facts.Document, cat *catalogData, selected map[string]bool, pol *policy.Policy) []string {
	if doc == nil || len(doc.ExternalVerdicts) == 0 {
		return nil
	}
	ids := make([]string, 0, len(doc.ExternalVerdicts))
	for id := range doc.ExternalVerdicts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out, stale []string
	reason := ""
	for _, id := range ids {
		v := doc.ExternalVerdicts[id]
		if _, ok := cat.index[id]; !ok {
			ans := strings.ToUpper(v.Status)
			if v.Detail != "" {
				ans += ": " + v.Detail
			}
			out = append(out, fmt.Sprintf("%s names no miccmac check (%s is not in the catalogue); its answer (%s) is not graded", v.Source, id, ans))
			continue
		}
		if _, excluded := pol.Exclude[id]; v.Stale && selected[id] && !excluded {
			stale = append(stale, id)
			reason = v.StaleReason
		}
	}
	if len(stale) > 0 {
		out = append(out, fmt.Sprintf("stale external answers for %s: %s; graded from them all the same", strings.Join(stale, ", "), reason))
	}
	return out
}
