package engine

import (
	"fmt"
	"sort"
	"strings"
)

// CTL-01 Device enrolled in central configuration management / MDM.
//
// Linux: a configuration-management agent from data/agents-config-management.yaml
// running with its unit enabled -> PASS; running but every unit disabled, or
// installed and not running -> PARTIAL; none -> FAIL.
// Windows: an MDM enrollment (Enrollments\*\ProviderID other than the local
// bridge), a management agent running (Intune Management Extension, CcmExec
// ...) or domain Group Policy processed (Distinguished-Name) -> PASS; an agent
// installed but stopped, or an Entra join without MDM -> PARTIAL; none -> FAIL.
// macOS: MDM-delivered preferences (managed_policies rows with manual = 0),
// the Automated Device Enrollment profile installed, or an MDM agent running
// -> PASS; preferences whose origin is not known (manual column not
// collected), profiles or an ADE record without enrollment, or an agent
// installed but stopped -> PARTIAL; none -> FAIL. Preferences from manually
// installed profiles (manual = 1) are not MDM enrollment evidence: they are
// listed in the evidence and named in a FAIL detail, never counted.
// When nothing is found and a source was not collected, the verdict is
// UNKNOWN naming it.

func init() { register("CTL-01", checkCTL01) }

const ctlCatConfigManagement = "config-management"

// macOS enrollment marker files (queries/sql/x_ctl_macos_mdm.sql).
const (
	ctlQMacMDM              = "x_ctl_macos_mdm"
	ctlMacADEProfile        = "/var/db/ConfigurationProfiles/Settings/.cloudConfigProfileInstalled"
	ctlMacADERecord         = "/var/db/ConfigurationProfiles/Settings/.cloudConfigRecordFound"
	ctlMacProfilesInstalled = "/var/db/ConfigurationProfiles/Settings/.profilesAreInstalled"
	ctl01NoSourceDetail     = "No management agent was found, but some sources were not collected: %s"
	ctl01NothingFoundLine   = "No configuration-management agent, MDM enrollment or domain policy was found"
)

// ctlVerdict accumulates evidence of management: pass and partial reasons.
type ctlVerdict struct {
	pass, partial []string
	unknown       ctlNotes
}

func (v *ctlVerdict) outcome(ev map[string]any, failDetail string) Outcome {
	if len(v.unknown) > 0 {
		ev["not_collected"] = []string(v.unknown)
	}
	switch {
	case len(v.pass) > 0:
		return outcome(Pass, ev, "%s", strings.Join(v.pass, "; "))
	case len(v.partial) > 0:
		return outcome(Partial, ev, "%s", strings.Join(v.partial, "; "))
	case len(v.unknown) > 0:
		return outcome(Unknown, ev, ctl01NoSourceDetail, v.unknown.text())
	}
	return outcome(Fail, ev, "%s", failDetail)
}

// addAgents grades config-management agent hits into v; sections that could
// not be read are listed in the evidence.
func (v *ctlVerdict) addAgents(env *Env, hits []AgentHit, known bool, ev map[string]any) {
	var missing ctlNotes
	missing.section("processes", env.Facts.Processes.Origin)
	missing.section("services", env.Facts.Services.Origin)
	missing.section("packages", env.Facts.Packages.Origin)
	if !known {
		v.unknown = append(v.unknown, missing...)
		return
	}
	if gap := agentAbsenceGap(env); gap != "" {
		v.unknown.add("agents: %s", gap)
	}
	if len(missing) > 0 {
		ev["agent_sources_not_collected"] = []string(missing)
	}
	for _, h := range hits {
		switch en := ctlAgentEnabled(env, ctlCatConfigManagement, h.Name); {
		case h.Running && en != nil && !*en:
			v.partial = append(v.partial, h.Name+" is running but its service is not enabled at boot")
		case h.Running:
			v.pass = append(v.pass, h.Name+" is running")
		default:
			v.partial = append(v.partial, h.Name+" is installed but not running")
		}
	}
}

func checkCTL01(env *Env) Outcome {
	kind, out := ctlKind(env)
	if out != nil {
		return *out
	}
	hits, known := agentsFrom(env, ctlCatConfigManagement)
	ev := map[string]any{"agents": ctlHitsOrEmpty(hits)}
	var v ctlVerdict
	v.addAgents(env, hits, known, ev)
	switch kind {
	case ctlWindows:
		ctl01Windows(env, &v, ev)
	case ctlDarwin:
		if manual := ctl01Darwin(env, &v, ev); len(manual) > 0 {
			return v.outcome(ev, fmt.Sprintf("%s on this device; the managed preferences present (%s) come from manually installed profiles, not MDM.",
				ctl01NothingFoundLine, strings.Join(manual, ", ")))
		}
	}
	return v.outcome(ev, ctl01NothingFoundLine+" on this device.")
}

// ctlHitsOrEmpty keeps an empty list (not null) in the evidence.
func ctlHitsOrEmpty(h []AgentHit) []AgentHit {
	if h == nil {
		return []AgentHit{}
	}
	return h
}

func ctl01Windows(env *Env, v *ctlVerdict, ev map[string]any) {
	if ok, why := ctlQueryOK(env, ctlQWindowsMDM, env.Facts.Registry.Origin); ok {
		all := ctlWindowsEnrollments(env)
		mdm := ctlMDMEnrollments(all)
		ev["enrollments"] = all
		for _, e := range mdm {
			v.pass = append(v.pass, "enrolled in MDM (ProviderID "+e.ProviderID+")")
		}
		if dn := ctlWindowsDomainDN(env); dn != "" {
			ev["domain_dn"] = dn
			v.pass = append(v.pass, "domain-joined with Group Policy applied ("+dn+")")
		}
	} else {
		v.unknown.add("%s", why)
	}
	if ok, _ := ctlQueryOK(env, ctlQWindowsJoin, env.Facts.Registry.Origin); ok {
		if joins := ctlWindowsEntraJoins(env); len(joins) > 0 {
			ev["entra_joins"] = joins
			v.partial = append(v.partial, "Entra ID joined (tenant "+joins[0].TenantID+") but no MDM enrollment or management agent was seen")
		}
	}
}

// ctl01Darwin grades the macOS enrollment evidence into v and returns the
// domains seen only in manually installed profiles.
func ctl01Darwin(env *Env, v *ctlVerdict, ev map[string]any) []string {
	mp := env.Facts.ManagedPolicies
	var manualOnly []string
	if mp.Known() {
		mdm, manual, unsure := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for _, p := range mp.Items {
			switch {
			case p.Manual == nil:
				unsure[p.Domain] = true
			case *p.Manual:
				manual[p.Domain] = true
			default:
				mdm[p.Domain] = true
			}
		}
		names := ctlSortedKeys(mdm)
		ev["managed_policy_domains"] = names
		if len(names) > 0 {
			v.pass = append(v.pass, "MDM-delivered preferences present ("+strings.Join(names, ", ")+")")
		}
		if len(manual) > 0 {
			ev["manual_profile_domains"] = ctlSortedKeys(manual)
			ev["manual_profiles"] = "preferences from manually installed profiles (managed_policies.manual = 1) are not MDM enrollment evidence"
			for _, d := range ctlSortedKeys(manual) {
				if !mdm[d] && !unsure[d] {
					manualOnly = append(manualOnly, d)
				}
			}
		}
		if u := ctlSortedKeys(unsure); len(u) > 0 {
			ev["unknown_origin_policy_domains"] = u
			v.partial = append(v.partial, "preferences from configuration profiles present ("+strings.Join(u, ", ")+
				") but whether MDM delivered them is unknown (managed_policies.manual not collected)")
		}
	} else {
		v.unknown.section("managed_policies", mp.Origin)
	}
	ok, why := ctlQueryOK(env, ctlQMacMDM, env.Facts.Files.Origin)
	if !ok {
		v.unknown.add("%s", why)
		return manualOnly
	}
	markers := map[string]bool{}
	for _, f := range env.Facts.Files.Items {
		switch f.Path {
		case ctlMacADEProfile, ctlMacADERecord, ctlMacProfilesInstalled:
			markers[f.Path] = true
		}
	}
	ev["enrollment_markers"] = ctlSortedKeys(markers)
	switch {
	case markers[ctlMacADEProfile]:
		v.pass = append(v.pass, "enrolled through Automated Device Enrollment (enrollment profile installed)")
	case markers[ctlMacADERecord]:
		v.partial = append(v.partial, "an Automated Device Enrollment record exists but the enrollment profile is not installed")
	case markers[ctlMacProfilesInstalled]:
		v.partial = append(v.partial, "configuration profiles are installed but MDM enrollment is not confirmed")
	}
	return manualOnly
}

// ctlSortedKeys returns the true keys of a set, sorted.
func ctlSortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k, ok := range m {
		if ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
