package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// ASM-02 Configuration / compliance assessment performed on schedule.
//
// The attestation's compliance_assessment record decides, graded like
// ASM-01. Without it, device evidence: queries of the miccmac pack (or another
// compliance pack from asmCompliancePacks, plus policy catalog_additions
// "compliance_packs") in osquery_schedule that executed within
// assessment_interval_days -> PASS; such queries scheduled but not executed in
// that window, or a configuration-compliance scanner running
// (data/agents-compliance-scanners.yaml) -> PARTIAL; nothing -> UNKNOWN.
func init() { register("ASM-02", checkASM02) }

// asmCompliancePacks are osquery pack names whose scheduled queries are a
// configuration/compliance assessment: miccmac's own collection and extension
// packs and osquery's shipped compliance packs. Pack names are matched exactly.
var asmCompliancePacks = []string{"miccmac", "miccmac-extension", "it-compliance", "windows-hardening"}

// asmFleetQueryPrefix is the prefix of the miccmac queries in Fleet (packs/: "miccmac_<query>"),
// which osquery_schedule lists under Fleet's pack/Global/ or pack/team-<id>/ containers.
const asmFleetQueryPrefix = "miccmac_"

func checkASM02(env *Env) Outcome {
	att, why := usableAttestation(env)
	if att != nil && att.ComplianceAssessment != nil {
		return gradePeriodic(env, att, att.ComplianceAssessment, "compliance_assessment", "compliance assessment")
	}
	ev := map[string]any{}
	missing := asmAttestationGap(att, why, "compliance_assessment", ev)
	pol := curPolicy(env)
	interval := pol.Thresholds.AssessmentIntervalDays
	ev["assessment_interval_days"] = interval

	sched := env.Facts.Osquery.Schedule
	var scheduleNote string
	if sched.Known() {
		packs := append(append([]string(nil), asmCompliancePacks...), pol.Names("compliance_packs")...)
		recent, stale := asmComplianceRuns(sched.Items, packs, env.Now, interval)
		if len(recent) > 0 {
			ev["executed_queries"] = recent
			ev["executed_count"] = len(recent)
			return outcome(Pass, ev, "%d compliance-pack queries in osquery_schedule executed within the last %d days (e.g. %s).",
				len(recent), interval, recent[0])
		}
		if len(stale) > 0 {
			ev["scheduled_not_recent"] = stale
			return outcome(Partial, ev, "Compliance-pack queries are scheduled in osquery (%d, e.g. %s) but none executed within the last %d days, and %s.",
				len(stale), stale[0], interval, missing)
		}
		ev["scheduled_queries"] = len(sched.Items)
		scheduleNote = fmt.Sprintf("none of the %d scheduled osquery queries belongs to a compliance pack", len(sched.Items))
		if len(sched.Items) == 0 {
			scheduleNote = "osquery_schedule is empty (osqueryi, or no queries scheduled)"
		}
	} else {
		ev["schedule_reason"] = sched.Reason
		scheduleNote = curWhy("osquery_schedule", sched.Origin)
	}
	ev["schedule"] = scheduleNote

	hits, _ := curAgents(env, "compliance-scanners")
	var running []string
	for _, h := range hits {
		if h.Running {
			running = append(running, h.Name)
		}
	}
	if len(hits) > 0 {
		ev["compliance_scanners"] = hits
	}
	if len(running) > 0 {
		return outcome(Partial, ev, "A configuration-compliance scanner is running (%s), but %s and %s, so the assessment schedule is not shown.",
			strings.Join(running, ", "), missing, scheduleNote)
	}
	return outcome(Unknown, ev, "%s, %s, and no compliance scanner is running: whether this device is assessed is not known.",
		asmSentence(missing), scheduleNote)
}

// asmComplianceRuns splits the compliance-pack queries of the schedule into
// those executed within intervalDays of now and those scheduled but not
// (not executed since osqueryd started, executed longer ago, or denylisted).
func asmComplianceRuns(items []facts.ScheduledQuery, packs []string, now time.Time, intervalDays int) (recent, stale []string) {
	since := now.AddDate(0, 0, -intervalDays).Unix()
	for _, q := range items {
		if !asmInCompliancePack(q.Name, packs) {
			continue
		}
		ran := q.Executions != nil && *q.Executions > 0 && q.LastExecuted != nil && *q.LastExecuted >= since &&
			*q.LastExecuted <= now.Add(24*time.Hour).Unix() && (q.Denylisted == nil || !*q.Denylisted)
		if ran {
			recent = append(recent, q.Name)
		} else {
			stale = append(stale, q.Name)
		}
	}
	sort.Strings(recent)
	sort.Strings(stale)
	return recent, stale
}

// asmInCompliancePack reports whether a schedule entry name belongs to one of
// the packs: pack/<pack>/<query> (osquery with pack_delimiter "/", Fleet),
// pack_<pack>_<query> (osquery's default delimiter), or a miccmac_<query>
// under Fleet's pack/Global/ and pack/team-<id>/ containers.
func asmInCompliancePack(name string, packs []string) bool {
	if rest, ok := strings.CutPrefix(name, "pack/"); ok {
		pack, query, ok := strings.Cut(rest, "/")
		if !ok {
			return false
		}
		for _, p := range packs {
			if pack == p {
				return true
			}
		}
		if pack == "Global" || strings.HasPrefix(pack, "team-") {
			return strings.HasPrefix(query, asmFleetQueryPrefix)
		}
		return false
	}
	if rest, ok := strings.CutPrefix(name, "pack_"); ok {
		for _, p := range packs {
			if strings.HasPrefix(rest, p+"_") && len(rest) > len(p)+1 {
				return true
			}
		}
		return strings.HasPrefix(rest, "Global_"+asmFleetQueryPrefix)
	}
	return false
}
