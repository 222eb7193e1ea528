package engine

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// CTL-04 Configuration baseline enforced and drift-monitored.
//
// An enforcement channel (a configuration-management agent as in CTL-01, a
// Windows MDM enrollment or domain Group Policy, a macOS MDM enrollment) with
// evidence of a run within the policy's baseline_run_max_age_days -> PASS.
// Run evidence is the modification time of the state or log file each agent
// rewrites on every run (ctlRunEvidence, collected by x_ctl_lastrun.sql), the
// end time of the last machine Group Policy processing and the last
// successful MDM session on Windows (x_ctl_lastrun_windows.sql). A channel
// without recent evidence, or only a compliance scanner
// (data/agents-compliance-scanners.yaml: OpenSCAP, usg, Lynis, Wazuh SCA ...)
// -> PARTIAL; none -> FAIL; nothing found while a source was not collected ->
// UNKNOWN. macOS MDM check-ins leave no file osquery can date, so an MDM-only
// Mac is PARTIAL unless Jamf's or Munki's run evidence is recent.

func init() { register("CTL-04", checkCTL04) }

const (
	ctlCatScanners = "compliance-scanners"
	ctlQLastRun    = "x_ctl_lastrun"
)

// ctlRunEvidence maps a config-management catalogue entry to the files whose
// modification time dates its last run. Every path must be selected by
// queries/sql/x_ctl_lastrun.sql (TestCTL04RunEvidenceCollected).
var ctlRunEvidence = map[string][]string{
	"Puppet": {
		"/opt/puppetlabs/puppet/public/last_run_summary.yaml",
		"/opt/puppetlabs/puppet/cache/state/last_run_summary.yaml",
		"/var/cache/puppet/public/last_run_summary.yaml",
		"/var/cache/puppet/state/last_run_summary.yaml",
		"/var/lib/puppet/state/last_run_summary.yaml",
		`C:\ProgramData\PuppetLabs\puppet\public\last_run_summary.yaml`,
		`C:\ProgramData\PuppetLabs\puppet\cache\state\last_run_summary.yaml`,
	},
	"Chef Infra Client": {
		"/var/chef/cache/chef-client-running.pid",
		"/var/log/chef/client.log",
		`C:\chef\cache\chef-client-running.pid`,
	},
	"Salt minion":                            {"/var/cache/salt/minion/highstate.cache.p", "/var/log/salt/minion"},
	"Canonical Landscape client":             {"/var/log/landscape/broker.log"},
	"Ansible pull (systemd timer)":           {"/var/log/ansible-pull.log"},
	"CFEngine":                               {"/var/cfengine/promise_summary.log"},
	"Rudder agent":                           {"/var/rudder/cfengine-community/promise_summary.log"},
	"Munki":                                  {"/Library/Managed Installs/ManagedInstallReport.plist"},
	"Jamf Pro agent":                         {"/var/log/jamf.log"},
	"Microsoft Intune Management Extension":  {`C:\ProgramData\Microsoft\IntuneManagementExtension\Logs\IntuneManagementExtension.log`},
	"Microsoft Configuration Manager client": {`C:\Windows\CCM\Logs\PolicyAgent.log`},
}

// ctlEnforcer is one enforcement channel and its newest run evidence.
type ctlEnforcer struct {
	Name    string   `json:"name"`
	Via     string   `json:"via"`
	LastRun string   `json:"last_run,omitempty"`
	AgeDays *float64 `json:"age_days,omitempty"`
	Source  string   `json:"run_evidence,omitempty"`
	Note    string   `json:"note,omitempty"`
	at      time.Time
}

// date records run evidence at t from source, unless t lies in the future.
func (e *ctlEnforcer) date(now, t time.Time, source string) {
	if t.IsZero() {
		return
	}
	if t.After(now.Add(24 * time.Hour)) {
		e.Note = fmt.Sprintf("%s is dated %s, after the assessment time (clock skew?): not used", source, t.Format(time.RFC3339))
		return
	}
	if t.Before(e.at) {
		return
	}
	e.at, e.Source, e.LastRun = t, source, t.UTC().Format(time.RFC3339)
	age := math.Max(0, math.Round(now.Sub(t).Hours()/24*10)/10)
	e.AgeDays = &age
}

func checkCTL04(env *Env) Outcome {
	kind, out := ctlKind(env)
	if out != nil {
		return *out
	}
	maxAge := effectivePolicy(env).Thresholds.BaselineRunMaxAgeDays
	if maxAge <= 0 {
		maxAge = 7
	}
	ev := map[string]any{"max_age_days": maxAge}
	var unknown ctlNotes
	filesOK, filesWhy := ctlQueryOK(env, ctlQLastRun, env.Facts.Files.Origin)
	if !filesOK {
		ev["run_evidence_not_collected"] = filesWhy
	}
	var enforcers []*ctlEnforcer
	hits, known := agentsFrom(env, ctlCatConfigManagement)
	if !known {
		unknown.add("agents: processes, services and packages not collected")
	} else if gap := agentAbsenceGap(env); gap != "" {
		unknown.add("agents: %s", gap)
	}
	for _, h := range hits {
		via := "agent installed, not running"
		if h.Running {
			via = "agent running"
		}
		e := &ctlEnforcer{Name: h.Name, Via: via}
		if filesOK {
			for _, p := range ctlRunEvidence[h.Name] {
				if t, ok := ctlFileMtime(env, p); ok {
					e.date(env.Now, t, p)
				}
			}
		}
		enforcers = append(enforcers, e)
	}
	switch kind {
	case ctlWindows:
		enforcers = append(enforcers, ctl04Windows(env, &unknown)...)
	case ctlDarwin:
		enforcers = append(enforcers, ctl04Darwin(env)...)
	}
	sort.SliceStable(enforcers, func(i, j int) bool { return enforcers[i].Name < enforcers[j].Name })
	ev["enforcers"] = enforcers
	scanners, sknown := agentsFrom(env, ctlCatScanners)
	ev["compliance_scanners"] = ctlHitsOrEmpty(scanners)

	var recent, stale []string
	for _, e := range enforcers {
		switch {
		case e.AgeDays != nil && *e.AgeDays <= float64(maxAge):
			recent = append(recent, fmt.Sprintf("%s last ran %s (%.1f days ago, %s)", e.Name, e.LastRun, *e.AgeDays, e.Source))
		case e.AgeDays != nil:
			stale = append(stale, fmt.Sprintf("%s last ran %.1f days ago", e.Name, *e.AgeDays))
		default:
			stale = append(stale, e.Name+" ("+e.Via+") without run evidence")
		}
	}
	switch {
	case len(recent) > 0:
		return outcome(Pass, ev, "The configuration baseline is enforced: %s; policy allows %d days.", strings.Join(recent, "; "), maxAge)
	case len(stale) > 0:
		return outcome(Partial, ev, "An enforcement channel exists but no run within %d days is shown: %s.", maxAge, strings.Join(stale, "; "))
	case len(scanners) > 0:
		return outcome(Partial, ev, "Only compliance scanning (%s) was found: drift can be measured but the baseline is not enforced.", strings.Join(ctlHitNames(scanners), ", "))
	}
	if !sknown {
		unknown.add("compliance scanners: processes, services and packages not collected")
	}
	if len(unknown) > 0 {
		ev["not_collected"] = []string(unknown)
		return outcome(Unknown, ev, "No enforcement agent was found, but some sources were not collected: %s.", unknown.text())
	}
	return outcome(Fail, ev, "No configuration-management agent, MDM or Group Policy enforcement and no compliance scanner was found.")
}

// ctlFileMtime returns a collected file's modification time (Windows paths
// compare case-insensitively).
func ctlFileMtime(env *Env, path string) (time.Time, bool) {
	fold := env.Facts.OS.Kind == ctlWindows
	for _, f := range env.Facts.Files.Items {
		if (f.Path == path || fold && strings.EqualFold(f.Path, path)) && f.Mtime != nil {
			return time.Unix(*f.Mtime, 0).UTC(), true
		}
	}
	return time.Time{}, false
}

// ctl04Windows lists MDM and domain Group Policy as enforcement channels with
// their last session / processing time.
func ctl04Windows(env *Env, unknown *ctlNotes) []*ctlEnforcer {
	ok, why := ctlQueryOK(env, ctlQWindowsMDM, env.Facts.Registry.Origin)
	if !ok {
		unknown.add("%s", why)
		return nil
	}
	runOK, runWhy := ctlQueryOK(env, ctlQWindowsLastRun, env.Facts.Registry.Origin)
	var out []*ctlEnforcer
	if mdm := ctlMDMEnrollments(ctlWindowsEnrollments(env)); len(mdm) > 0 {
		e := &ctlEnforcer{Name: "MDM (" + mdm[0].ProviderID + ")", Via: "MDM enrollment"}
		if !runOK {
			e.Note = runWhy
		} else if t, ok := ctlWindowsMDMLastSync(env); ok {
			e.date(env.Now, t, "OMA-DM ServerLastSuccessTime")
		}
		out = append(out, e)
	}
	if dn := ctlWindowsDomainDN(env); dn != "" {
		e := &ctlEnforcer{Name: "Group Policy (" + dn + ")", Via: "domain Group Policy"}
		if !runOK {
			e.Note = runWhy
		} else if t, ok := ctlWindowsGPLastRun(env); ok {
			e.date(env.Now, t, "Group Policy endTimeHi/endTimeLo")
		}
		out = append(out, e)
	}
	return out
}

// ctl04Darwin lists an MDM enrollment (MDM-delivered managed preferences or
// the ADE enrollment profile) as an enforcement channel; MDM leaves no run
// time. Manually installed profiles enforce nothing centrally and do not count.
func ctl04Darwin(env *Env) []*ctlEnforcer {
	mdm := false
	if env.Facts.ManagedPolicies.Known() {
		for _, p := range env.Facts.ManagedPolicies.Items {
			if p.Manual == nil || !*p.Manual {
				mdm = true
			}
		}
	}
	if ok, _ := ctlQueryOK(env, ctlQMacMDM, env.Facts.Files.Origin); ok {
		for _, f := range env.Facts.Files.Items {
			if f.Path == ctlMacADEProfile {
				mdm = true
			}
		}
	}
	if !mdm {
		return nil
	}
	return []*ctlEnforcer{{Name: "MDM", Via: "MDM enrollment", Note: "MDM check-ins leave no run time osquery can read"}}
}
