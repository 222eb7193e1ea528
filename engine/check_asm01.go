package engine

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// ASM-01 Authenticated vulnerability scanning performed on schedule.
//
// The attestation's vulnerability_scanning record decides: last scan within
// interval_days -> PASS, overdue or not performed -> FAIL, no date -> PARTIAL.
// Without a usable record, a vulnerability-scanner agent from
// data/agents-scanners.yaml running on the device -> PARTIAL (scans happen,
// their cadence is not known); nothing -> UNKNOWN.
func init() { register("ASM-01", checkASM01) }

func checkASM01(env *Env) Outcome {
	att, why := usableAttestation(env)
	if att != nil && att.VulnerabilityScan != nil {
		return gradePeriodic(env, att, att.VulnerabilityScan, "vulnerability_scanning", "vulnerability scan")
	}
	ev := map[string]any{}
	missing := asmAttestationGap(att, why, "vulnerability_scanning", ev)

	hits, known := detectAgents(env, "scanners")
	var running, stopped []string
	for _, h := range hits {
		if h.Running {
			running = append(running, h.Name)
		} else {
			stopped = append(stopped, h.Name)
		}
	}
	if len(hits) > 0 {
		ev["scanner_agents"] = hits
	}
	if len(running) > 0 {
		return outcome(Partial, ev, "A vulnerability-scanner agent is running (%s), but %s, so the scan schedule is not shown.",
			strings.Join(running, ", "), missing)
	}
	if !known {
		ev["processes_reason"] = env.Facts.Processes.Reason
		ev["services_reason"] = env.Facts.Services.Reason
		ev["packages_reason"] = env.Facts.Packages.Reason
		return outcome(Unknown, ev, "%s, and processes, services and packages were not collected, so no scanner agent could be looked for.",
			asmSentence(missing))
	}
	if len(stopped) > 0 {
		return outcome(Unknown, ev, "%s; a scanner agent is installed but not running (%s), so whether this device is scanned is not known.",
			asmSentence(missing), strings.Join(stopped, ", "))
	}
	return outcome(Unknown, ev, "%s and no vulnerability-scanner agent was found: the device cannot show whether it is scanned (network scans are invisible to it).",
		asmSentence(missing))
}

// asmAttestationGap records in ev why the attestation did not answer for key
// and returns that as a clause ("no attestation was supplied", ...).
func asmAttestationGap(att *facts.Attestation, why, key string, ev map[string]any) string {
	switch {
	case why != "":
		ev["attestation_not_used"] = why
		return "the attestation does not count (" + why + ")"
	case att == nil:
		ev["attestation"] = "none supplied"
		return "no attestation was supplied"
	}
	ev["attestation_source"] = att.Source
	ev["attestation"] = "no " + key + " record"
	return fmt.Sprintf("the attestation (%s) has no %s record", curOr(att.Source, "record"), key)
}

// gradePeriodic grades an attested periodic activity against env.Now:
// not performed -> FAIL; no date -> PARTIAL; unparseable or future date ->
// ERROR; no interval -> PARTIAL; last run within interval_days -> PASS,
// older -> FAIL.
func gradePeriodic(env *Env, att *facts.Attestation, act *facts.PeriodicActivity, key, what string) Outcome {
	ev := map[string]any{
		"attestation_source": att.Source,
		key:                  map[string]any{"performed": act.Performed, "last": act.Last, "interval_days": act.IntervalDays},
	}
	if !act.Performed {
		return outcome(Fail, ev, "The attestation states that no %s is performed for this device.", what)
	}
	if strings.TrimSpace(act.Last) == "" {
		return outcome(Partial, ev, "The attestation says a %s is performed but gives no date for the last one.", what)
	}
	last, err := parseDay(act.Last)
	if err != nil {
		return outcome(Error, ev, "The attestation's %s.last %q is not a date (YYYY-MM-DD or RFC 3339).", key, act.Last)
	}
	// parseDay gives the end of a plain date; measure age from the day's start.
	if len(strings.TrimSpace(act.Last)) == len(time.DateOnly) {
		last = last.Add(-24*time.Hour + time.Nanosecond)
	}
	if last.After(env.Now.Add(24 * time.Hour)) {
		return outcome(Error, ev, "The attestation's last %s (%s) is after the assessment time (%s).", what, act.Last, env.Now.UTC().Format(time.DateOnly))
	}
	age := int(math.Floor(env.Now.Sub(last).Hours() / 24))
	if age < 0 {
		age = 0
	}
	ev["age_days"] = age
	if act.IntervalDays == nil {
		return outcome(Partial, ev, "The last %s was on %s (%d days ago), but the attestation states no interval to hold it to.", what, act.Last, age)
	}
	interval := *act.IntervalDays
	if interval <= 0 {
		return outcome(Error, ev, "The attestation's %s.interval_days is %d; it must be a positive number of days.", key, interval)
	}
	if int64(age) <= interval {
		return outcome(Pass, ev, "The last %s was on %s, %d days ago, within the %d-day interval.", what, act.Last, age, interval)
	}
	ev["overdue_days"] = int64(age) - interval
	return outcome(Fail, ev, "The last %s was on %s, %d days ago: overdue by %d days against the %d-day interval.",
		what, act.Last, age, int64(age)-interval, interval)
}

// asmSentence starts a sentence with a fragment (see sentenceCase).
func asmSentence(s string) string { return sentenceCase(s) }
