package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// MIN-01 Unnecessary services and daemons disabled.
//
// The legacy services of data/legacy-services.yaml for the platform, plus the
// policy's deny_services (exact service names; on macOS also sharing
// columns), are looked up by exact name. A service that is running, or
// enabled at boot, is a finding -> FAIL listing them; none -> PASS.
// Enablement follows field case B21: masked is the best state; static and
// indirect units only start when pulled in, so they count only when running;
// enabled-runtime counts (until reboot); a unit whose enablement is unknown
// (osquery without unit_file_state) is judged by whether it runs, and the
// evidence says enablement was unknown. rpcbind counts only while no NFS
// server unit is active. macOS sharing services are accepted when the
// policy's allowed_ports for darwin lists their port (Remote Login with 22/tcp).
// Nothing found while the service list or sharing state was not collected ->
// UNKNOWN.

func init() { register("MIN-01", checkMIN01) }

// minFinding is a legacy service that is on.
type minFinding struct {
	Service string `json:"service"`
	Unit    string `json:"unit"`
	State   string `json:"state"`
	Why     string `json:"why,omitempty"`
}

// minServiceNames reports whether a service fact has the catalogue name:
// exact, a systemd template entry ("telnet@.service") matching its instances,
// a systemd name without suffix meaning ".service", and Windows names
// case-insensitively.
func minServiceNames(s facts.Service, want string, fold bool) bool {
	name := s.Name
	if fold {
		return strings.EqualFold(name, want)
	}
	if s.Manager == "systemd" && !strings.Contains(name, ".") {
		name += ".service"
	}
	if s.Manager == "systemd" && !strings.Contains(want, ".") {
		want += ".service"
	}
	if name == want {
		return true
	}
	if i := strings.Index(want, "@."); i > 0 && s.Manager == "systemd" {
		prefix, suffix := want[:i+1], want[i+1:]
		return strings.HasPrefix(name, prefix) && strings.HasSuffix(name, suffix) && len(name) > len(want)
	}
	return false
}

// minUnitState decides whether a matched service is on: finding with the
// state, or undecided when neither running nor enablement is known.
func minUnitState(s facts.Service) (on bool, state string, undecided bool) {
	running := s.Running != nil && *s.Running
	switch s.UnitFileState {
	case "masked", "masked-runtime":
		if running {
			return true, "masked but still running", false
		}
		return false, "masked", false
	case "static", "indirect":
		if running {
			return true, "running (" + s.UnitFileState + ")", false
		}
		return false, "inactive (" + s.UnitFileState + ")", false
	}
	switch {
	case running && s.Enabled != nil && *s.Enabled:
		return true, "running and enabled at boot", false
	case running && s.Enabled == nil:
		return true, "running (enablement unknown)", false
	case running:
		return true, "running (not enabled at boot)", false
	case s.Enabled != nil && *s.Enabled && s.RuntimeOnly:
		return true, "enabled until the next reboot (enabled-runtime)", false
	case s.Enabled != nil && *s.Enabled:
		return true, "enabled at boot", false
	case s.Running == nil && s.Enabled == nil:
		return false, "state unknown", true
	case s.Enabled == nil:
		return false, "not running (enablement unknown)", false
	}
	return false, "disabled and not running", false
}

// minServiceManager is the service manager each platform's units come from.
var minServiceManager = map[string]string{ctlLinux: "systemd", ctlWindows: "windows", ctlDarwin: "launchd"}

func checkMIN01(env *Env) Outcome {
	kind, out := ctlKind(env)
	if out != nil {
		return *out
	}
	pol := effectivePolicy(env)
	entries := append([]minLegacyEntry(nil), minCatalogs().legacy[kind]...)
	for _, d := range pol.DenyServices {
		e := minLegacyEntry{Name: d, Units: []string{d}, Why: "denied by policy"}
		if kind == ctlDarwin {
			if _, ok := env.Facts.Sharing.Values[d]; ok {
				e = minLegacyEntry{Name: d, Sharing: []string{d}, Why: "denied by policy"}
			}
		}
		entries = append(entries, e)
	}
	allowed, _ := minParsePorts(pol.AllowedPorts[kind])

	var findings []minFinding
	var unknown ctlNotes
	var checked, notes []string
	fold := kind != ctlLinux
	svc := env.Facts.Services
	svcOK := svc.Known()
	if src, ok := env.Facts.ServiceSources[minServiceManager[kind]]; ok && !src.Known() {
		svcOK = false
		svc.Origin = src
	}
	if !svcOK {
		for _, e := range entries {
			if len(e.Units) > 0 {
				unknown.add("%s", sectionWhy("services", svc.Origin))
				break
			}
		}
	}
	for _, e := range entries {
		if name, ok := minAllowedByPolicy(e, pol.AllowServices, fold); ok {
			notes = append(notes, e.Name+": accepted by policy (allow_services: "+name+")")
			continue
		}
		if svcOK && len(e.UnlessActive) > 0 && minAnyRunning(svc.Items, e.UnlessActive, fold) {
			notes = append(notes, e.Name+": accepted, "+strings.Join(e.UnlessActive, "/")+" is active")
			continue
		}
		if svcOK {
			for _, s := range svc.Items {
				for _, u := range e.Units {
					if !minServiceNames(s, u, fold) {
						continue
					}
					on, state, undecided := minUnitState(s)
					checked = append(checked, s.Name+": "+state)
					switch {
					case on:
						findings = append(findings, minFinding{Service: e.Name, Unit: s.Name, State: state, Why: e.Why})
					case undecided:
						unknown.add("%s: running and enablement state both unknown", s.Name)
					}
				}
			}
		}
		for _, key := range e.Sharing {
			f, u := minSharing(env, e, key, allowed)
			if f != nil {
				findings = append(findings, *f)
			}
			if u != "" {
				unknown.add("%s", u)
			}
			if f == nil && u == "" {
				checked = append(checked, "sharing "+key+": "+minSharingState(env, key, allowed, e))
			}
		}
	}
	sort.Slice(findings, func(i, j int) bool {
		if findings[i].Service != findings[j].Service {
			return findings[i].Service < findings[j].Service
		}
		return findings[i].Unit < findings[j].Unit
	})
	ev := map[string]any{"findings": minFindingsOrEmpty(findings), "checked": ctlNonNil(ctlSortedUnique(checked)),
		"catalogue_entries": len(entries)}
	if len(notes) > 0 {
		ev["notes"] = notes
	}
	unknown = ctlNotes(ctlSortedUnique(unknown))
	if len(unknown) > 0 {
		ev["not_checked"] = []string(unknown)
	}
	switch {
	case len(findings) > 0:
		return outcome(Fail, ev, "Legacy or risky services are on: %s.", minFindingsText(findings))
	case len(unknown) > 0:
		return outcome(Unknown, ev, "No legacy or risky service was found running or enabled, but not everything could be checked: %s.", unknown.text())
	}
	return outcome(Pass, ev, "None of the %d legacy or risky services in the catalogue is running or enabled.", len(entries))
}

// minFindingsText names each catalogue service once, with every unit that
// turns it on: "rpcbind without NFS server (rpcbind.service: running and
// enabled at boot; rpcbind.socket: enabled at boot)". Findings are sorted by
// service.
func minFindingsText(findings []minFinding) string {
	var parts, units []string
	for i, f := range findings {
		units = append(units, f.Unit+": "+f.State)
		if i+1 == len(findings) || findings[i+1].Service != f.Service {
			parts = append(parts, fmt.Sprintf("%s (%s)", f.Service, strings.Join(units, "; ")))
			units = nil
		}
	}
	return strings.Join(parts, ", ")
}

// minAnyRunning reports whether any named unit is running.
func minAnyRunning(items []facts.Service, names []string, fold bool) bool {
	for _, s := range items {
		for _, n := range names {
			if minServiceNames(s, n, fold) && s.Running != nil && *s.Running {
				return true
			}
		}
	}
	return false
}

// minSharing grades one macOS sharing_preferences column: a finding when on
// and not accepted by the allowed ports, or why it is unknown.
func minSharing(env *Env, e minLegacyEntry, key string, allowed []portRule) (*minFinding, string) {
	sh := env.Facts.Sharing
	if !sh.Known() {
		return nil, e.Name + ": " + sectionWhy("sharing_preferences", sh.Origin)
	}
	v, ok := sh.Values[key]
	if !ok || v == nil {
		return nil, e.Name + ": sharing_preferences." + key + " not reported"
	}
	if *v == 0 || minSharingAllowed(e, allowed) {
		return nil, ""
	}
	return &minFinding{Service: e.Name, Unit: "sharing_preferences." + key, State: "on", Why: e.Why}, ""
}

// minSharingAllowed reports whether the policy's allowed ports accept the service.
func minSharingAllowed(e minLegacyEntry, allowed []portRule) bool {
	if e.AllowedByPort == "" {
		return false
	}
	r, bad := minParsePorts([]string{e.AllowedByPort})
	return len(bad) == 0 && portAllowed(allowed, r[0].lo, r[0].proto)
}

// minSharingState describes a sharing column that is not a finding.
func minSharingState(env *Env, key string, allowed []portRule, e minLegacyEntry) string {
	if v := env.Facts.Sharing.Values[key]; v != nil && *v != 0 && minSharingAllowed(e, allowed) {
		return "on, accepted (allowed_ports lists " + e.AllowedByPort + ")"
	}
	return "off"
}

// minFindingsOrEmpty keeps an empty list (not null) in the evidence.
func minFindingsOrEmpty(f []minFinding) []minFinding {
	if f == nil {
		return []minFinding{}
	}
	return f
}

// minAllowedByPolicy reports whether allow_services names the entry, one of
// its units or one of its sharing keys (exact names), and which name did.
func minAllowedByPolicy(e minLegacyEntry, allow []string, fold bool) (string, bool) {
	for _, a := range allow {
		for _, n := range append(append([]string{e.Name}, e.Units...), e.Sharing...) {
			if a == n || (fold && strings.EqualFold(a, n)) {
				return a, true
			}
		}
	}
	return "", false
}
