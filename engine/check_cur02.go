package engine

import (
	"fmt"
	"sort"
	"strings"
)

// CUR-02 Third-party software updated within policy.
//
// Third-party sources: Linux apt/yum repositories outside the distribution's
// official list (data/official-repos.yaml, hosts matched exactly or as a DNS
// suffix, never as a substring), snaps and flatpaks; Windows programs whose
// publisher is not Microsoft and Chocolatey packages; macOS apps whose bundle
// id is not Apple's and Homebrew packages. Each source is covered by an
// updater (data/agents-updaters.yaml, plus the distributions' own mechanisms
// read from their configuration), partly covered (updater present, scope not
// shown) or not covered. Every source covered -> PASS; none -> FAIL; mixed ->
// PARTIAL; no third-party software -> NOT_APPLICABLE. None covered while an
// updater could not be ruled out (only an incomplete package list could have
// shown it, see packageSourcesIncomplete) -> UNKNOWN.
func init() { register("CUR-02", checkCUR02) }

// Coverage levels of a third-party source.
const (
	covCovered = "covered"
	covPartial = "partial"
	covNone    = "none"
)

// curSource is one kind of third-party software found on the device.
type curSource struct {
	Kind     string   `json:"kind"`
	Count    int      `json:"count"`
	Sample   []string `json:"sample"`
	Coverage string   `json:"coverage"`
	By       []string `json:"by,omitempty"`
	Note     string   `json:"note,omitempty"`
	items    []string
	// unknown says why an updater of this source could not be ruled out
	// (its package list was incomplete); a FAIL then becomes UNKNOWN.
	unknown string
}

// curUpdater is a catalogue updater found on the device.
type curUpdater struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Active   bool     `json:"active"`
	Evidence []string `json:"evidence"`
}

// curSourcesResult is what a platform's collector found.
type curSourcesResult struct {
	sources []*curSource
	// unknown is set when the platform's main software list was not collected.
	unknown string
	notes   []string
	extra   map[string]any
}

func checkCUR02(env *Env) Outcome {
	o := env.Facts.OS
	if !o.Known() {
		return outcome(Unknown, map[string]any{"os_state": string(o.State), "os_reason": o.Reason},
			"os_version was not collected: %s", curOr(o.Reason, string(o.State)))
	}
	ups, upsKnown := curUpdaters(env)
	var res curSourcesResult
	switch o.Kind {
	case "linux":
		res = cur02Linux(env, ups)
	case "windows":
		res = cur02Windows(env, ups)
	case "darwin":
		res = cur02Darwin(env, ups)
	default:
		return outcome(Unknown, map[string]any{"os_name": o.Name, "os_platform": o.Platform, "os_kind": o.Kind},
			"The OS %q (platform %q) is not one this check has third-party rules for, so it is not graded.", o.Name, o.Platform)
	}
	ev := map[string]any{"updaters": ups}
	for k, v := range res.extra {
		ev[k] = v
	}
	if len(res.notes) > 0 {
		ev["notes"] = curSorted(res.notes)
	}
	if res.unknown != "" {
		ev["unknown"] = res.unknown
		return outcome(Unknown, ev, "The device's third-party software could not be listed: %s.", res.unknown)
	}
	var active []*curSource
	for _, s := range res.sources {
		if s.Count > 0 {
			active = append(active, s)
		}
	}
	if len(active) == 0 {
		return outcome(NotApplicable, ev, "No third-party software source was found (only the vendor's own packages).")
	}
	ev["sources"] = active
	var covered, partial, none []string
	for _, s := range active {
		label := fmt.Sprintf("%d %s", s.Count, s.Kind)
		if len(s.By) > 0 && s.Coverage != covNone {
			label += " (" + strings.Join(curSample(s.By, 2), "; ") + ")"
		}
		switch s.Coverage {
		case covCovered:
			covered = append(covered, label)
		case covPartial:
			partial = append(partial, label)
		default:
			none = append(none, label)
		}
	}
	switch {
	case len(partial) == 0 && len(none) == 0:
		return outcome(Pass, ev, "Every third-party source is kept updated (%s).", strings.Join(covered, ", "))
	case len(covered) == 0 && len(partial) == 0:
		if !upsKnown {
			return outcome(Unknown, ev, "Third-party software is present (%s) and processes, services and packages were not collected, so no updater could be looked for.",
				strings.Join(none, ", "))
		}
		if why := cur02NoUpdaterUnknown(env, active); why != "" {
			return outcome(Unknown, ev, "Third-party software is present (%s), but an updater cannot be ruled out: %s.", strings.Join(none, ", "), why)
		}
		return outcome(Fail, ev, "Third-party software is present (%s) and no updater covers it.", strings.Join(none, ", "))
	}
	var parts []string
	if len(covered) > 0 {
		parts = append(parts, "covered: "+strings.Join(covered, ", "))
	}
	if len(partial) > 0 {
		parts = append(parts, "updater present but scope not shown: "+strings.Join(partial, ", "))
	}
	if len(none) > 0 {
		parts = append(parts, "not covered: "+strings.Join(none, ", "))
	}
	return outcome(Partial, ev, "Third-party software is only partly kept updated (%s).", strings.Join(parts, "; "))
}

// cur02NoUpdaterUnknown says why "no updater covers it" is not a fact: only
// an incomplete package list could have shown an updater, or a source's own
// mechanism (unattended-upgrades) could not be ruled out. "" otherwise.
func cur02NoUpdaterUnknown(env *Env, sources []*curSource) string {
	var why []string
	if gap := agentAbsenceGap(env); gap != "" {
		why = append(why, "updater agents: "+gap)
	}
	for _, s := range sources {
		if s.unknown != "" {
			why = append(why, s.Kind+": "+s.unknown)
		}
	}
	return strings.Join(why, "; ")
}

// curUpdaters lists the catalogue updaters found and whether each is active:
// running, a service of it enabled (launchd jobs count when present), or for
// source:<x> entries installed at all (they are scheduled tasks).
func curUpdaters(env *Env) ([]curUpdater, bool) {
	hits, known := curAgents(env, "updaters")
	units := map[string][]string{}
	for _, a := range agentCatalog("updaters") {
		units[a.Name] = append(units[a.Name], a.Services...)
	}
	out := make([]curUpdater, 0, len(hits))
	for _, h := range hits {
		kind := h.Kind
		if kind == "" {
			kind = "management" // policy additions: present, scope not shown
		}
		u := curUpdater{Name: h.Name, Kind: kind, Evidence: h.Evidence, Active: h.Running}
		if strings.HasPrefix(kind, "source:") && h.Installed {
			u.Active = true
		}
		for _, name := range units[h.Name] {
			s := curServiceState(env, name)
			if s == nil {
				continue
			}
			if (s.Enabled != nil && *s.Enabled) || (s.Enabled == nil && s.Manager == "launchd") {
				u.Active = true
			}
		}
		out = append(out, u)
	}
	return out, known
}

// curCatalogCoverage is how the catalogue updaters cover a source.
func curCatalogCoverage(ups []curUpdater, source string) (string, []string) {
	cov := covNone
	var by []string
	raise := func(c string, why string) {
		by = append(by, why)
		if c == covCovered || (c == covPartial && cov == covNone) {
			cov = c
		}
	}
	for _, u := range ups {
		switch {
		case u.Kind == "patching" || u.Kind == "source:"+source:
			if u.Active {
				raise(covCovered, u.Name)
			} else {
				raise(covPartial, u.Name+" (installed, not running)")
			}
		case u.Kind == "management" && u.Active:
			raise(covPartial, u.Name+" (scope not shown)")
		case u.Kind == "desktop" && u.Active && source == "flatpak":
			raise(covPartial, u.Name+" (refreshes flatpaks in a user session)")
		}
	}
	return cov, curSorted(by)
}

// curMergeCoverage keeps the better of two coverages and both reasons.
func curMergeCoverage(s *curSource, cov string, by []string) {
	rank := map[string]int{covNone: 0, covPartial: 1, covCovered: 2}
	if s.Coverage == "" || rank[cov] > rank[s.Coverage] {
		s.Coverage = cov
	}
	s.By = curSorted(append(s.By, by...))
}

// curNewSource builds a source from item names with the catalogue's coverage.
func curNewSource(kind string, items []string, ups []curUpdater, catalogKey string) *curSource {
	items = curSorted(items)
	s := &curSource{Kind: kind, Count: len(items), Sample: curSample(items, 15), items: items}
	cov, by := curCatalogCoverage(ups, catalogKey)
	curMergeCoverage(s, cov, by)
	return s
}

// curSourceKnown reports whether a package source table was collected.
func curSourceKnown(env *Env, source string) (bool, string) {
	if o, ok := env.Facts.PackageSources[source]; ok {
		if o.Known() {
			return true, ""
		}
		return false, curWhy(source, o)
	}
	if env.Facts.Packages.Known() {
		return true, ""
	}
	return false, curWhy("packages", env.Facts.Packages.Origin)
}

// curPackagesOf lists installed packages of one source table.
func curPackagesOf(env *Env, source string, keep func(name, publisher, identifier string) bool) []string {
	var out []string
	for _, p := range env.Facts.Packages.Items {
		if p.Source != source || !p.Installed || strings.TrimSpace(p.Name) == "" {
			continue
		}
		if keep == nil || keep(p.Name, p.Publisher, p.Identifier) {
			out = append(out, p.Name)
		}
	}
	sort.Strings(out)
	return out
}
