package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// Helpers shared by the CTL and MIN checks.

// Platform kinds as facts.OS.Kind spells them.
const (
	ctlLinux   = "linux"
	ctlDarwin  = "darwin"
	ctlWindows = "windows"
)

// ctlKind returns the OS kind a CTL/MIN check grades, or the outcome to
// return when the OS is unknown: never another family's rules by default.
func ctlKind(env *Env) (string, *Outcome) {
	o := env.Facts.OS
	if !o.Known() {
		out := outcome(Unknown, map[string]any{"os_state": string(o.State), "os_reason": o.Reason},
			"os_version was not collected: %s", orText(o.Reason, "no reason recorded"))
		return "", &out
	}
	switch o.Kind {
	case ctlLinux, ctlDarwin, ctlWindows:
		return o.Kind, nil
	}
	out := outcome(Unknown, map[string]any{"os_name": o.Name, "os_platform": o.Platform, "os_family": o.Family},
		"The OS %q (platform %q) is not one this check has rules for, so it is not graded", o.Name, o.Platform)
	return "", &out
}

// orText returns s, or alt when s is blank (shared with other checks).
func orText(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

// ctlQueryOK reports whether the named catalogue query answered for this host;
// otherwise it says why not (failed, not run, not for this platform). A
// document without per-query records (hand-written facts) falls back to the
// state of the section the query feeds.
func ctlQueryOK(env *Env, name string, section facts.Origin) (bool, string) {
	st, found := env.Facts.Queries[name]
	switch {
	case found && st.State == facts.StateOK:
		return true, ""
	case found:
		return false, fmt.Sprintf("query %s %s: %s", name, st.State, orText(st.Reason, "no reason recorded"))
	case len(env.Facts.Queries) == 0 && section.Known():
		return true, ""
	}
	return false, fmt.Sprintf("query %s was not run", name)
}

// sectionWhy says why a fact section is not known.
func sectionWhy(name string, o facts.Origin) string {
	return fmt.Sprintf("%s not collected: %s", name, orText(o.Reason, string(o.State)))
}

// effectivePolicy returns the env's policy or the built-in default.
func effectivePolicy(env *Env) *policy.Policy {
	if env.Policy != nil {
		return env.Policy
	}
	return policy.Default()
}

// ctlWithAliases returns env with the policy additions filed under alias
// keys (config_management for the agents-config-management.yaml catalogue)
// merged into the catalogue's own key, so detectAgents sees both spellings.
func ctlWithAliases(env *Env, catalog string, aliases ...string) *Env {
	pol := effectivePolicy(env)
	var extra []string
	for _, a := range aliases {
		extra = append(extra, pol.Names(a)...)
	}
	if len(extra) == 0 && env.Policy != nil {
		return env
	}
	cp := *pol
	cp.CatalogAdditions = map[string][]string{}
	for k, v := range pol.CatalogAdditions {
		cp.CatalogAdditions[k] = v
	}
	cp.CatalogAdditions[catalog] = append(append([]string(nil), pol.Names(catalog)...), extra...)
	e := *env
	e.Policy = &cp
	return &e
}

// agentsFrom runs detectAgents for a catalogue whose policy key may also be
// spelt with underscores (config-management / config_management).
func agentsFrom(env *Env, catalog string) ([]AgentHit, bool) {
	alias := strings.ReplaceAll(catalog, "-", "_")
	if alias == catalog {
		return detectAgents(env, catalog)
	}
	return detectAgents(ctlWithAliases(env, catalog, alias), catalog)
}

// ctlAgentEnabled says whether a detected catalogue agent's service units start
// at boot: true when one does, false when every unit found is disabled, nil
// when no unit of it was found or enablement is unknown.
func ctlAgentEnabled(env *Env, catalog, name string) *bool {
	if !env.Facts.Services.Known() {
		return nil
	}
	var units []string
	for _, a := range agentCatalog(catalog) {
		if a.Name == name {
			units = a.Services
		}
	}
	fold := env.Facts.OS.Kind != ctlLinux
	seen, disabled := false, true
	for _, s := range env.Facts.Services.Items {
		for _, u := range units {
			if !(s.Name == u || fold && strings.EqualFold(s.Name, u)) {
				continue
			}
			seen = true
			if s.Enabled == nil {
				disabled = false
			} else if *s.Enabled {
				t := true
				return &t
			}
		}
	}
	if seen && disabled {
		f := false
		return &f
	}
	return nil
}

// ctlHitNames lists the names of agent hits.
func ctlHitNames(hits []AgentHit) []string {
	out := make([]string, 0, len(hits))
	for _, h := range hits {
		out = append(out, h.Name)
	}
	return out
}

// ctlSortedUnique sorts a copy of s and drops duplicates; never nil, so the
// evidence shows [] rather than null.
func ctlSortedUnique(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return dedupe(out)
}

// ctlNotes collects why sections a check could use were not collected.
type ctlNotes []string

func (u *ctlNotes) add(format string, args ...any) { *u = append(*u, fmt.Sprintf(format, args...)) }

// section records the section's reason when it is not known.
func (u *ctlNotes) section(name string, o facts.Origin) {
	if !o.Known() {
		*u = append(*u, sectionWhy(name, o))
	}
}

// text joins the notes for a detail sentence.
func (u ctlNotes) text() string { return strings.Join(u, "; ") }
