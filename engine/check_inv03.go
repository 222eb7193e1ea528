package engine

import (
	"sort"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

func init() { register("INV-03", checkINV03) }

// inv03Primary is the package source every system of a family has, with the
// osquery table it comes from.
var inv03Primary = map[string]struct{ source, table string }{
	facts.FamilyDebian:  {"deb", "deb_packages"},
	facts.FamilyRHEL:    {"rpm", "rpm_packages"},
	facts.FamilySUSE:    {"rpm", "rpm_packages"},
	facts.FamilyAmazon:  {"rpm", "rpm_packages"},
	facts.FamilyDarwin:  {"apps", "apps"},
	facts.FamilyWindows: {"programs", "programs"},
}

// checkINV03: installed-software inventory maintained for the device.
// The family's package table (deb, rpm, apps, programs) returned installed
// packages -> PASS, with counts by source; that table failed or was not run
// -> UNKNOWN; it answered with no installed package -> FAIL (every such
// system has some). An unrecognised family passes on any source with rows and
// is otherwise UNKNOWN; it is never graded as another family.
func checkINV03(env *Env) Outcome {
	f := env.Facts
	if !f.OS.Known() {
		return outcome(Unknown, nil, "os_version was not collected: %s.", monReason(f.OS.Origin, "os_version"))
	}
	counts := map[string]int{}
	if f.Packages.Known() {
		for _, p := range f.Packages.Items {
			if p.Installed {
				counts[p.Source]++
			}
		}
	}
	ev := map[string]any{"installed_by_source": counts}
	if failed := inv03Failed(f); len(failed) > 0 {
		ev["sources_not_collected"] = failed
	}
	prim, ok := inv03Primary[f.OS.Family]
	if !ok {
		if total := inv03Total(counts); total > 0 {
			return outcome(Pass, ev, "%d installed packages are inventoried (OS family %q; counts by source in the evidence).", total, f.OS.Family)
		}
		return outcome(Unknown, ev, "The OS family (%s) is not one whose package table is known, and no package table returned rows.",
			monFirst(f.OS.Platform, f.OS.Family, "unnamed"))
	}
	origin, found := f.PackageSources[prim.source]
	if !found && len(f.PackageSources) == 0 {
		origin, found = f.Packages.Origin, true // no per-source record: the section speaks for its tables
	}
	switch {
	case !found:
		return outcome(Unknown, ev, "%s was not collected.", prim.table)
	case !origin.Known():
		return outcome(Unknown, ev, "%s was not collected: %s.", prim.table, monReason(origin, prim.table))
	case counts[prim.source] == 0:
		return outcome(Fail, ev, "%s answered with no installed package, but every %s system has some.", prim.table, f.OS.Family)
	}
	return outcome(Pass, ev, "%d installed packages are inventoried from %s (%d in all sources).",
		counts[prim.source], prim.table, inv03Total(counts))
}

func inv03Total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// inv03Failed lists package sources that were not collected, with the reason.
func inv03Failed(f *facts.Document) map[string]string {
	out := map[string]string{}
	keys := make([]string, 0, len(f.PackageSources))
	for k := range f.PackageSources {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if o := f.PackageSources[k]; o.State == facts.StateUnknown {
			out[k] = monReason(o, k)
		}
	}
	return out
}
