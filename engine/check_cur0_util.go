package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// Helpers shared by the ASM and CUR checks.

// curPolicy returns the env's policy or the built-in default.
func curPolicy(env *Env) *policy.Policy {
	if env.Policy != nil {
		return env.Policy
	}
	return policy.Default()
}

// curOr returns s, or alt when s is blank.
func curOr(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

// curWhy says why a fact section is not known.
func curWhy(name string, o facts.Origin) string {
	return fmt.Sprintf("%s was not collected: %s", name, curOr(o.Reason, string(o.State)))
}

// curQueryKnown reports whether the named catalogue query answered for this
// host, and why not. When the document has no record of the query at all
// (a hand-made facts file), a known section that names it counts.
func curQueryKnown(env *Env, name string, section facts.Origin) (bool, string) {
	if st, found := env.Facts.Queries[name]; found {
		if st.State == facts.StateOK {
			return true, ""
		}
		return false, fmt.Sprintf("query %s %s: %s", name, st.State, curOr(st.Reason, "no reason recorded"))
	}
	if section.Known() {
		for _, q := range section.Queries {
			if q == name {
				return true, ""
			}
		}
	}
	return false, fmt.Sprintf("query %s was not run", name)
}

// curAgents runs detectAgents on a catalogue whose policy key may also be
// spelt with underscores (compliance-scanners / compliance_scanners).
func curAgents(env *Env, catalog string) ([]AgentHit, bool) {
	alias := strings.ReplaceAll(catalog, "-", "_")
	pol := curPolicy(env)
	if alias == catalog || len(pol.Names(alias)) == 0 {
		e := *env
		e.Policy = pol
		return detectAgents(&e, catalog)
	}
	cp := *pol
	cp.CatalogAdditions = map[string][]string{}
	for k, v := range pol.CatalogAdditions {
		cp.CatalogAdditions[k] = v
	}
	cp.CatalogAdditions[catalog] = append(append([]string(nil), pol.Names(catalog)...), pol.Names(alias)...)
	e := *env
	e.Policy = &cp
	return detectAgents(&e, catalog)
}

// curUnix converts a unix time to UTC.
func curUnix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// curAgeDays is the whole number of days from t to now (negative when t is later).
func curAgeDays(now, t time.Time) int {
	d := now.Sub(t).Hours() / 24
	if d < 0 {
		return -int(-d)
	}
	return int(d)
}

// curDay formats a time as YYYY-MM-DD (UTC).
func curDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// curSorted returns a sorted, de-duplicated copy.
func curSorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return dedupe(out)
}

// curSample returns at most n items of a sorted list, for evidence.
func curSample(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// curServiceState finds a service by exact name (case-insensitive on
// Windows and macOS) and returns it, or nil.
func curServiceState(env *Env, name string) *facts.Service {
	fold := env.Facts.OS.Kind != "linux"
	for i, s := range env.Facts.Services.Items {
		if s.Name == name || (fold && strings.EqualFold(s.Name, name)) {
			return &env.Facts.Services.Items[i]
		}
	}
	return nil
}

// curPackageInstalled reports whether an installed package of that exact
// name exists (any source when source is empty).
func curPackageInstalled(env *Env, source, name string) (facts.Package, bool) {
	for _, p := range env.Facts.Packages.Items {
		if p.Installed && p.Name == name && (source == "" || p.Source == source) {
			return p, true
		}
	}
	return facts.Package{}, false
}

// curTruthy reads the boolean spellings osquery uses for plist, registry and
// managed-policy values: 1/true/yes and 0/false/no. ok is false otherwise.
func curTruthy(s string) (val, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true, true
	case "0", "false", "no", "off":
		return false, true
	}
	return false, false
}
