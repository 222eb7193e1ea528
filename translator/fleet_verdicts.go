package translator

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// fleetStaleAfter is how much older than report_time a host's last check-in
// may be before its policy answers count as stale.
const fleetStaleAfter = 24 * time.Hour

// mapExternalVerdicts fills d.ExternalVerdicts from the FleetPoliciesResult
// rows of h (see fleet_policies.go), one verdict per check id:
//
//   - a policy whose platform does not include the host's is not_applicable;
//   - response "pass" or "fail" is that verdict;
//   - response "" with last_error is error (the query failed on the host:
//     a table missing in its osquery, the extension not loaded);
//   - response "" without an error is unknown (no answer yet).
//
// Answers of a host last seen more than fleetStaleAfter before report_time,
// or that Fleet marks missing, are kept but marked stale. When several
// policies name one check, a real answer (fail before pass) wins over an
// error, an unknown and a platform mismatch, and a document note says so.
// The composite readiness policy is noted, not graded.
func mapExternalVerdicts(d *facts.Document, h *queries.HostResults) {
	r := h.Get(FleetPoliciesResult)
	if r.Status != queries.StatusOK || len(r.Rows) == 0 {
		return
	}
	rows := append([]queries.Row(nil), r.Rows...)
	sortPolicyRows(rows)
	for _, row := range rows {
		id, name := row[fleetColPolicyID], row[fleetColPolicyName]
		src := fmt.Sprintf("Fleet policy %s '%s'", id, name)
		kind, check := parsePolicyName(name)
		switch kind {
		case policyReady:
			d.Notes = append(d.Notes, fmt.Sprintf("%s: %s (the extension's own tier verdict; not a check, not graded here)", src, responseText(row)))
			continue
		case policyCheck:
		default:
			d.Notes = append(d.Notes, src+" names no miccmac check: not used")
			continue
		}
		v := fleetVerdict(row, src)
		if d.ExternalVerdicts == nil {
			d.ExternalVerdicts = map[string]facts.ExternalVerdict{}
		}
		prev, dup := d.ExternalVerdicts[check]
		if !dup {
			d.ExternalVerdicts[check] = v
			continue
		}
		keep, drop := prev, v
		if verdictRank(v.Status) > verdictRank(prev.Status) {
			keep, drop = v, prev
		}
		d.ExternalVerdicts[check] = keep
		d.Notes = append(d.Notes, fmt.Sprintf("%s and %s both name %s: the first (%s) is used, the other (%s) is not",
			keep.Source, drop.Source, check, keep.Status, drop.Status))
	}
}

// fleetVerdict judges one policy row.
func fleetVerdict(row queries.Row, src string) facts.ExternalVerdict {
	v := facts.ExternalVerdict{Source: src, SeenTime: row[fleetColSeenTime]}
	v.Stale, v.StaleReason = fleetStale(row[fleetColHostStatus], row[fleetColSeenTime], row[fleetColReportTime])
	hostKind := fleetHostKind(row[fleetColHostPlatform], row[fleetColPlatformLike])
	targets := policyTargets(row[fleetColPolicyPlatform])
	resp, lastErr := strings.ToLower(strings.TrimSpace(row[fleetColResponse])), strings.TrimSpace(row[fleetColLastError])
	switch {
	case hostKind != "" && len(targets) > 0 && !slices.Contains(targets, hostKind):
		v.Status = facts.VerdictNotApplicable
		v.Detail = fmt.Sprintf("policy platform %s, host %s", strings.Join(targets, ","), hostName(row[fleetColHostPlatform], hostKind))
		if resp != "" {
			v.Detail += fmt.Sprintf(" (its %q response is from before the platform changed)", resp)
		}
	case resp == "pass":
		v.Status = facts.VerdictPass
	case resp == "fail":
		v.Status = facts.VerdictFail
	case resp == "" && lastErr != "":
		v.Status = facts.VerdictError
		v.Detail = "query failed: " + lastErr
		if hint := queryErrorHint(lastErr, row[fleetColOsqueryVersion]); hint != "" {
			v.Detail += " (" + hint + ")"
		}
	case resp == "":
		v.Status = facts.VerdictUnknown
		v.Detail = "no response from the host yet (it has not run the policy since the policy was created or changed)"
	default:
		v.Status = facts.VerdictUnknown
		v.Detail = fmt.Sprintf("response %q is not \"pass\", \"fail\" or \"\"", row[fleetColResponse])
	}
	return v
}

// verdictRank orders verdicts of one check from several policies.
func verdictRank(s string) int {
	switch s {
	case facts.VerdictFail:
		return 4
	case facts.VerdictPass:
		return 3
	case facts.VerdictError:
		return 2
	case facts.VerdictUnknown:
		return 1
	}
	return 0
}

// policyTargets splits a Fleet policy platform list ("darwin,linux"); empty
// means every platform.
func policyTargets(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// hostName renders the host platform for a message: "ubuntu (linux)", "darwin".
func hostName(raw, kind string) string {
	if raw = strings.TrimSpace(raw); raw == "" || strings.EqualFold(raw, kind) {
		return kind
	}
	return raw + " (" + kind + ")"
}

var noSuchTable = regexp.MustCompile(`no such table:\s*(\S+)`)

// queryErrorHint explains a policy query error: a missing miccmac table means
// the extension is not loaded; another missing table is not in the host's
// osquery.
func queryErrorHint(msg, osqueryVersion string) string {
	m := noSuchTable.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	table := strings.Trim(m[1], `"'`)
	if strings.HasPrefix(table, "miccmac_") {
		return "extension table missing on host: the miccmac extension is not loaded there"
	}
	if v := strings.TrimSpace(osqueryVersion); v != "" {
		return fmt.Sprintf("table %s is not in the host's osquery %s", table, v)
	}
	return fmt.Sprintf("table %s is not in the host's osquery", table)
}

// fleetStale says whether a host's answers are stale: last seen more than
// fleetStaleAfter before report_time, or marked missing by Fleet (no check-in
// for 30 days).
func fleetStale(status, seen, report string) (bool, string) {
	st := strings.ToLower(strings.TrimSpace(status))
	seenT, seenOK := fleetTime(seen)
	reportT, reportOK := fleetTime(report)
	if seenOK && reportOK {
		if age := reportT.Sub(seenT); age > fleetStaleAfter {
			why := "last seen " + ageText(age) + " before report_time"
			if st != "" {
				why = "host " + st + ", " + why
			}
			return true, fmt.Sprintf("%s (seen %s, report %s)", why, seen, report)
		}
		return false, ""
	}
	if st == "missing" || st == "mia" {
		why := "host missing in Fleet (no check-in for 30 days or more)"
		if seenOK {
			why += ", last seen " + seen
		}
		return true, why
	}
	return false, ""
}

// ageText renders a duration over a day as whole days, else hours.
func ageText(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	switch {
	case days == 1:
		return "1 day"
	case days > 1:
		return fmt.Sprintf("%d days", days)
	}
	return fmt.Sprintf("%d hours", int(d/time.Hour))
}

// responseText renders a policy row's answer for a note.
func responseText(row queries.Row) string {
	switch r := row[fleetColResponse]; {
	case r != "":
		return r
	case row[fleetColLastError] != "":
		return "no answer, query failed: " + row[fleetColLastError]
	}
	return "no answer yet"
}
