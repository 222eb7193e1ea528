package engine

import (
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Completeness of the installed-package list.
//
// facts.Document.Packages is known as soon as ANY package table answered, so
// "no such package" is only a fact when every table the host's software can
// be in answered too. A check that concludes from packages that something is
// NOT installed asks packageSourcesIncomplete first and says UNKNOWN (naming
// the missing tables) when the list has a gap; a package that IS found
// counts whatever the other tables did.
//
// Relevant sources: those whose state is not not_applicable (the query runs
// on the host's platform). On Linux the distribution's own package manager
// decides: deb on the Debian family, rpm on RHEL, SUSE and Amazon, both on an
// unrecognised family, so an rpm_packages query missing from a Debian
// capture does not hide a PASS. A source "not in the input" (a foreign pack
// that did not collect it) is not known, like one whose query failed.

// pkgSourceTables names each package source's osquery table.
var pkgSourceTables = map[string]string{
	"deb": "deb_packages", "rpm": "rpm_packages", "apps": "apps", "programs": "programs",
	"homebrew": "homebrew_packages", "chocolatey": "chocolatey_packages", "package_receipts": "package_receipts",
}

// pkgWholeSection stands for the Packages section in a document without
// per-source records.
const pkgWholeSection = "packages"

// pkgReason says why a package origin is not known.
func pkgReason(o facts.Origin) string {
	return orText(o.Reason, orText(string(o.State), "not run"))
}

// packageGap is a package source that may hold the host's software and did
// not answer.
type packageGap struct {
	Source string `json:"source"`
	Table  string `json:"table"`
	Reason string `json:"reason"`
}

func (g packageGap) String() string {
	if g.Source == pkgWholeSection {
		return "packages were not collected: " + g.Reason
	}
	if strings.HasPrefix(g.Reason, g.Table) {
		return g.Reason
	}
	return g.Table + ": " + g.Reason
}

// pkgSourceRelevant reports whether a Linux host's software can be in the
// source (deb on Debian, rpm on the rpm families, both when the family is
// not recognised); every source is relevant on other platforms.
func pkgSourceRelevant(f *facts.Document, source string) bool {
	if f.OS.Kind != "linux" {
		return true
	}
	fam := f.OS.Family
	rpmFam := fam == facts.FamilyRHEL || fam == facts.FamilySUSE || fam == facts.FamilyAmazon
	switch source {
	case "deb":
		return fam == facts.FamilyDebian || !rpmFam
	case "rpm":
		return rpmFam || fam != facts.FamilyDebian
	}
	return true
}

// packageGaps lists the relevant package sources that are not known, sorted
// by table. only, when given, restricts the answer to those sources (e.g.
// "deb" for a Debian package). A document without per-source records
// (hand-written facts) is judged by the Packages section alone.
func packageGaps(env *Env, only ...string) []packageGap {
	f := env.Facts
	if len(f.PackageSources) == 0 {
		if f.Packages.Known() {
			return nil
		}
		return []packageGap{{Source: pkgWholeSection, Table: pkgWholeSection, Reason: pkgReason(f.Packages.Origin)}}
	}
	want := map[string]bool{}
	for _, s := range only {
		want[s] = true
	}
	var gaps []packageGap
	for src, o := range f.PackageSources {
		if len(want) > 0 && !want[src] || len(want) == 0 && !pkgSourceRelevant(f, src) {
			continue
		}
		if o.Known() || o.State == facts.StateNotApplicable {
			continue
		}
		gaps = append(gaps, packageGap{Source: src, Table: pkgTable(src), Reason: pkgReason(o)})
	}
	for _, s := range only {
		if _, ok := f.PackageSources[s]; !ok { // no query feeds it: nothing says it is empty
			gaps = append(gaps, packageGap{Source: s, Table: pkgTable(s), Reason: "not collected (no per-source record)"})
		}
	}
	sort.Slice(gaps, func(i, j int) bool { return gaps[i].Table < gaps[j].Table })
	return gaps
}

// packageSourcesIncomplete says why the installed-package list cannot show
// that something is absent ("rpm_packages: database locked; ..."), or ""
// when every relevant source (or every source in only) answered.
func packageSourcesIncomplete(env *Env, only ...string) string {
	gaps := packageGaps(env, only...)
	parts := make([]string, 0, len(gaps))
	for _, g := range gaps {
		parts = append(parts, g.String())
	}
	return strings.Join(parts, "; ")
}

// pkgTable names a source's table ("deb" -> "deb_packages").
func pkgTable(source string) string {
	if t, ok := pkgSourceTables[source]; ok {
		return t
	}
	return source
}

// agentAbsenceGap says why "no agent of a catalogue was found" is not a fact:
// neither processes nor services were collected, so only packages could
// show an agent, and the package list is incomplete. It returns "" when
// absence can be concluded (or when packages are unknown altogether, which
// detectAgents already reports as not known).
func agentAbsenceGap(env *Env) string {
	f := env.Facts
	if f.Processes.Known() || f.Services.Known() || !f.Packages.Known() {
		return ""
	}
	if gap := packageSourcesIncomplete(env); gap != "" {
		return "neither processes nor services were collected and the package list is incomplete (" + gap + ")"
	}
	return ""
}
