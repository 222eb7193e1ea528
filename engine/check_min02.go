package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// MIN-02 Unused or unauthorized software removed.
//
// Deny-listed packages installed (data/deny-packages.yaml for the OS family
// plus the policy's deny_packages; exact names; installed state only, so a
// dpkg "deinstall ok config-files" package is gone while "deinstall ok
// installed" is still on disk, field case B16), or Windows optional features
// of the deny list enabled (state 1) -> FAIL; none -> PASS. On a Linux host
// of an unrecognised family every Linux list is checked. Allow-list mode
// (policy allow_packages non-empty): every installed application from a
// user-installed source (Windows programs not published by Microsoft, macOS
// apps outside com.apple, Homebrew, Chocolatey, snap, flatpak) that is not on
// the list is a finding too; OS packages (deb, rpm) are the distribution and
// are graded by the deny list only. Nothing found while packages (or, on
// Windows, optional features) were not collected, or while a package table
// the host's software can be in did not answer (packageSourcesIncomplete:
// rpm_packages failing on RHEL, apps missing from a macOS capture) -> UNKNOWN
// naming it; a hit still FAILs.

func init() { register("MIN-02", checkMIN02) }

// minAppSources are the package sources allow-list mode grades.
var minAppSources = map[string]bool{"programs": true, "apps": true, "homebrew": true, "chocolatey": true,
	"snap": true, "flatpak": true}

// minPackageHit is a package or feature that should not be there.
type minPackageHit struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Source  string `json:"source"`
	Status  string `json:"status,omitempty"`
	Reason  string `json:"reason"`
}

// minDenyNames returns the deny list for the host and where it came from.
func minDenyNames(env *Env, kind string) ([]string, string) {
	fam := env.Facts.OS.Family
	lists := minCatalogs().deny.Families
	if l, ok := lists[fam]; ok {
		return l, "family " + fam
	}
	if kind == ctlLinux {
		var all []string
		for f, l := range lists {
			if f != "darwin" && f != "windows" {
				all = append(all, l...)
			}
		}
		return ctlSortedUnique(all), "every Linux family (family " + orText(fam, "unknown") + " not recognised)"
	}
	return lists[kind], "platform " + kind
}

func checkMIN02(env *Env) Outcome {
	kind, out := ctlKind(env)
	if out != nil {
		return *out
	}
	pol := effectivePolicy(env)
	fold := kind != ctlLinux
	deny, listFrom := minDenyNames(env, kind)
	denySet := map[string]string{}
	for _, n := range deny {
		denySet[minFold(n, fold)] = "deny list (" + listFrom + ")"
	}
	for _, n := range pol.DenyPackages {
		denySet[minFold(n, fold)] = "policy deny_packages"
	}
	allow := map[string]bool{}
	for _, n := range pol.AllowPackages {
		allow[minFold(n, fold)] = true
	}
	ev := map[string]any{"deny_list": listFrom, "deny_count": len(denySet)}
	var hits []minPackageHit
	var unknown ctlNotes
	var notes []string
	pk := env.Facts.Packages
	if pk.Known() {
		for _, p := range pk.Items {
			if !p.Installed {
				continue
			}
			key := minFold(p.Name, fold)
			why, denied := denySet[key]
			if !denied && len(allow) > 0 && minAppSources[p.Source] && !allow[key] && !minVendorApp(p) {
				why, denied = "not on the policy allow_packages list", true
			}
			if !denied {
				continue
			}
			h := minPackageHit{Name: p.Name, Version: p.Version, Source: p.Source, Status: p.Status, Reason: why}
			if p.StatusUnknown {
				notes = append(notes, p.Name+": no status column (old osquery), counted as installed")
			}
			hits = append(hits, h)
		}
		if gaps := packageGaps(env); len(gaps) > 0 {
			ev["package_sources_not_collected"] = gaps
			unknown.add("the package list is incomplete (%s)", packageSourcesIncomplete(env))
		}
		if len(allow) > 0 {
			ev["allow_list_mode"] = fmt.Sprintf("%d allowed names; graded sources: programs, apps, homebrew, chocolatey, snap, flatpak", len(allow))
		}
	} else {
		unknown.add("%s", sectionWhy("packages", pk.Origin))
	}
	listed := len(denySet)
	if kind == ctlWindows {
		listed += len(minCatalogs().deny.WindowsFeatures)
		of := env.Facts.OptionalFeatures
		if of.Known() {
			features := map[string]bool{}
			for _, n := range minCatalogs().deny.WindowsFeatures {
				features[strings.ToLower(n)] = true
			}
			for _, f := range of.Items {
				if features[strings.ToLower(f.Name)] && f.State != nil && *f.State == 1 {
					hits = append(hits, minPackageHit{Name: f.Name, Source: "windows_optional_features", Status: "enabled (state 1)",
						Reason: "deny list (windows_features)"})
				}
			}
		} else {
			unknown.add("%s", sectionWhy("windows_optional_features", of.Origin))
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Name != hits[j].Name {
			return hits[i].Name < hits[j].Name
		}
		return hits[i].Source < hits[j].Source
	})
	ev["findings"] = minHitsOrEmpty(hits)
	if len(notes) > 0 {
		ev["notes"] = notes
	}
	if len(unknown) > 0 {
		ev["not_checked"] = []string(unknown)
	}
	switch {
	case len(hits) > 0:
		names := make([]string, 0, len(hits))
		for _, h := range hits {
			names = append(names, h.Name+" ("+h.Source+")")
		}
		return outcome(Fail, ev, "Unwanted software is installed or enabled: %s.", strings.Join(names, ", "))
	case len(unknown) > 0:
		return outcome(Unknown, ev, "No unwanted software was found, but not everything could be checked: %s.", unknown.text())
	}
	return outcome(Pass, ev, "None of the %d deny-listed packages or features is installed or enabled.", listed)
}

// minFold lower-cases names on case-insensitive platforms.
func minFold(s string, fold bool) string {
	if fold {
		return strings.ToLower(s)
	}
	return s
}

// minVendorApp reports whether an application comes from the OS vendor
// (macOS apps com.apple.*, Windows programs published by Microsoft).
func minVendorApp(p facts.Package) bool {
	switch p.Source {
	case "apps":
		return strings.HasPrefix(p.Identifier, "com.apple.")
	case "programs":
		return strings.EqualFold(strings.TrimSpace(p.Publisher), "Microsoft Corporation")
	}
	return false
}

// minHitsOrEmpty keeps an empty list (not null) in the evidence.
func minHitsOrEmpty(h []minPackageHit) []minPackageHit {
	if h == nil {
		return []minPackageHit{}
	}
	return h
}
